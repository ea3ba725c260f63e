// SPDX-License-Identifier: MIT
#pragma once

// Opening a PassAgent vault: the vault key from the master password, the check that
// it is the right one, and the user's RSA private key. Pure: no I/O, no locking.

#include <optional>
#include <string_view>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/wire.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/rsa_oaep.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

// Argon2id(UTF-8 master password, salt, the server's parameters) -> 32 bytes. Slow on
// purpose (64 MiB, 3 passes by default): call it without holding any lock.
Result<SecretBuffer> derive_vault_key(std::string_view master_password, const SaltReply& salt);

// The verifier opens under the key and says kVerifierText (A5): OK. A tag failure is
// WRONG_MASTER_PASSWORD; anything else (it opens but says something else) BAD_FORMAT.
Result<void> check_verifier(const SecretBuffer& vault_key, const GcmBox& verifier);

// Opens the PKCS#8 private key. A tag failure is WRONG_MASTER_PASSWORD when
// `decides_password` (no verifier said otherwise), else BAD_FORMAT (damaged key).
Result<SecretBuffer> open_private_key_der(const SecretBuffer& vault_key, const GcmBox& encrypted,
                                          bool decides_password);

// Loads the DER kept in a SecretBuffer into OpenSSL for as long as the caller needs it.
Result<RsaPrivateKey> load_private_key(const SecretBuffer& der);

// wire::Box -> crypto GcmBox (both are {iv, ciphertext||tag}).
GcmBox to_gcm_box(const Box& box);

Error wrong_master_password();

}  // namespace pah::passagent
