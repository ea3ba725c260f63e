// SPDX-License-Identifier: MIT
#include "backends/passagent/vault.hpp"

#include "crypto/argon2.hpp"
#include "crypto/encoding.hpp"

namespace pah::passagent {

Error wrong_master_password() {
    return {ErrorCode::WrongMasterPassword, "The master password is wrong. Check it and try again."};
}

GcmBox to_gcm_box(const Box& box) { return GcmBox{box.iv, box.ciphertext}; }

Result<SecretBuffer> derive_vault_key(std::string_view master_password, const SaltReply& salt) {
    if (master_password.empty()) {
        return fail(ErrorCode::BadRequest, "Enter your master password.", {{"field", "masterPassword"}});
    }
    const Argon2Params params{salt.kdf.memory_kib, salt.kdf.iterations, salt.kdf.parallelism};
    auto key = argon2id(as_bytes(master_password), salt.salt, params, kGcmKeySize);
    if (!key) {
        return std::unexpected(to_error(key.error()));
    }
    return std::move(*key);
}

Result<void> check_verifier(const SecretBuffer& vault_key, const GcmBox& verifier) {
    auto plain = gcm_open(vault_key.span(), verifier);
    if (!plain) {
        if (plain.error().code == CryptoErrc::Tampered) {
            return std::unexpected(wrong_master_password());
        }
        return std::unexpected(to_error(plain.error()));
    }
    if (plain->view() != kVerifierText) {
        return fail(ErrorCode::BadFormat, "The vault's verifier does not read as expected: the vault data may be "
                                          "damaged.");
    }
    return {};
}

Result<SecretBuffer> open_private_key_der(const SecretBuffer& vault_key, const GcmBox& encrypted,
                                          bool decides_password) {
    auto der = gcm_open(vault_key.span(), encrypted);
    if (!der) {
        if (der.error().code == CryptoErrc::Tampered && decides_password) {
            return std::unexpected(wrong_master_password());
        }
        return fail(ErrorCode::BadFormat, "Your PassAgent key pair does not open: shared entries cannot be read.");
    }
    return std::move(*der);
}

Result<RsaPrivateKey> load_private_key(const SecretBuffer& der) {
    auto key = load_private_pkcs8_der(der.span());
    if (!key) {
        return std::unexpected(to_error(key.error()));
    }
    return std::move(*key);
}

}  // namespace pah::passagent
