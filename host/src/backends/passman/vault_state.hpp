// SPDX-License-Identifier: MIT
#pragma once

// The open vault of a PassmanBackend. Private to the backend's .cpp files; every member
// is read and written under the backend's mu_ only.

#include <string>
#include <string_view>
#include <unordered_map>

#include "backends/passman/backend.hpp"
#include "crypto/sjcl.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passman {

// What the host keeps of a credential while unlocked: the summary and the encrypted
// fields that decrypt() and totp() open on demand.
struct Record {
    ItemSummary summary;
    std::string password;
    std::string description;
    std::string otp;
    std::string custom_fields;
    std::string shared_key;
};

struct Vault {
    std::string guid;
    std::string name;
    SecretBuffer key;  // the vault key, UTF-8
    Pbkdf2Cache cache{256};
    std::unordered_map<std::string, Record> records;

    // The key a credential's fields are under: its share key (itself under the vault
    // key, used as it is, spaces included) or the vault key. `holder` keeps a share key.
    CryptoResult<ByteView> field_key(const std::string& shared_key, SecretBuffer& holder) {
        if (shared_key.empty() || shared_key == "null") {
            return key.span();
        }
        auto opened = sjcl_decrypt(key.span(), shared_key, &cache);
        if (!opened) {
            return std::unexpected(std::move(opened.error()));
        }
        if (opened->empty()) {
            return crypto_fail(CryptoErrc::WrongKey, "passman: empty share key");
        }
        holder = std::move(*opened);
        return holder.span();
    }
};

inline Error wrong_vault_key(std::string_view vault) {
    return {ErrorCode::WrongMasterPassword,
            "This vault key does not open the Passman vault \"" + std::string(vault) + "\". Check it and try again.",
            {{"field", "vaultKey"}}};
}

}  // namespace pah::passman
