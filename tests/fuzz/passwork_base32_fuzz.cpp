// SPDX-License-Identifier: MIT
// Passwork's base32 and the CryptoJS opener behind it: never a crash; encode/decode agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <sodium.h>

#include "crypto/cryptojs.hpp"
#include "crypto/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // SecretBuffer (sodium_malloc) needs sodium_init, as in main().
    static const bool sodium_ready = sodium_init() >= 0;
    if (!sodium_ready) {
        std::abort();
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)pah::passwork_base32_decode(text);
    const pah::ByteView bytes(data, size);
    if (pah::passwork_base32_decode(pah::passwork_base32_encode(bytes)) !=
        pah::Bytes(bytes.begin(), bytes.end())) {
        std::abort();
    }
    (void)pah::cryptojs_decrypt(text, pah::as_bytes("fuzz"));
    (void)pah::cryptojs_decrypt_base64(text, pah::as_bytes("fuzz"));
    (void)pah::passwork_master_hash_matches(bytes, text);
    return 0;
}
