// SPDX-License-Identifier: MIT
// Passwork's base32 and the CryptoJS opener behind it: never a crash; encode/decode agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/cryptojs.hpp"
#include "crypto/encoding.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pah::fuzz::need_sodium();
    const std::string_view text = pah::fuzz::as_text(data, size);
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
