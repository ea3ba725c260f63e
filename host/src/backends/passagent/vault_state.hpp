// SPDX-License-Identifier: MIT
#pragma once

// The open vault of a PassAgentBackend. Private to the backend's .cpp files; every
// member is read and written under PassAgentBackend::mu_ only.

#include <string>
#include <unordered_map>

#include "backends/passagent/backend.hpp"
#include "backends/passagent/records.hpp"
#include "backends/passagent/wire.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

struct PassAgentBackend::Vault {
    SecretBuffer key;          // the 32-byte vault key
    SecretBuffer private_der;  // PKCS#8 DER of the RSA key; empty when the account has none
    std::unordered_map<std::string, EncryptedRecord> records;
    // Entry TOTP configurations fetched at sync (zero-trust secrets stay encrypted).
    std::unordered_map<std::string, TotpConfig> totp;

    // Loads the private key for one operation (null when there is none).
    [[nodiscard]] std::optional<RsaPrivateKey> private_key() const;
    [[nodiscard]] RecordKeys keys(const RsaPrivateKey* private_key) const { return {&key, private_key}; }
};

}  // namespace pah::passagent
