// SPDX-License-Identifier: MIT
#include "crypto/argon2.hpp"

#include <argon2.h>

namespace pah {

CryptoResult<SecretBuffer> argon2id(ByteView password, ByteView salt, const Argon2Params& params,
                                    std::size_t out_len) {
    if (params.parallelism < 1 || params.parallelism > kArgon2MaxLanes) {
        return crypto_fail(CryptoErrc::Unsupported, "Argon2id parallelism must be 1 to 16");
    }
    if (params.memory_kib < 8 * params.parallelism || params.memory_kib > kArgon2MaxMemoryKib) {
        return crypto_fail(CryptoErrc::Unsupported,
                           "Argon2id memory must be 8 KiB per lane up to 4 GiB");
    }
    if (params.iterations < 1 || params.iterations > kArgon2MaxIterations) {
        return crypto_fail(CryptoErrc::Unsupported, "Argon2id iterations must be 1 to 64");
    }
    if (salt.size() < ARGON2_MIN_SALT_LENGTH || salt.size() > 1024) {
        return crypto_fail(CryptoErrc::BadFormat, "the Argon2id salt must be 8 to 1024 bytes");
    }
    if (out_len < 16 || out_len > 64) {
        return crypto_fail(CryptoErrc::BadFormat, "the Argon2id output must be 16 to 64 bytes");
    }
    if (password.size() > 1U << 20) {
        return crypto_fail(CryptoErrc::BadFormat, "the password is too long");
    }
    SecretBuffer out(out_len);
    static constexpr std::uint8_t kEmpty = 0;
    // argon2id_hash_raw sets threads = lanes = parallelism.
    const int rc = argon2id_hash_raw(params.iterations, params.memory_kib, params.parallelism,
                                     password.empty() ? &kEmpty : password.data(), password.size(),
                                     salt.data(), salt.size(), out.data(), out.size());
    if (rc != ARGON2_OK) {
        const CryptoErrc code =
            rc == ARGON2_MEMORY_ALLOCATION_ERROR || rc == ARGON2_THREAD_FAIL
                ? CryptoErrc::Internal
                : CryptoErrc::BadFormat;
        return crypto_fail(code, std::string("Argon2id failed: ") + argon2_error_message(rc));
    }
    return out;
}

}  // namespace pah
