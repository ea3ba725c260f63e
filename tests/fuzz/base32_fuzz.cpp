// SPDX-License-Identifier: MIT
// RFC 4648 base32 decoding; anything decoded must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/encoding.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pah::fuzz::need_sodium();
    const std::string_view text = pah::fuzz::as_text(data, size);
    const auto decoded = pah::base32_decode(text);
    const auto secret = pah::base32_decode_secret(text);
    if (decoded.has_value() != secret.has_value()) {
        std::abort();
    }
    if (decoded) {
        if (!secret->equals(*decoded) || pah::base32_decode(pah::base32_encode(*decoded)) != decoded) {
            std::abort();
        }
    }
    // The bytes themselves, encoded, must decode back.
    const pah::ByteView bytes(data, size);
    const auto round = pah::base32_decode(pah::base32_encode(bytes, size % 2 == 0));
    if (!round || *round != pah::Bytes(bytes.begin(), bytes.end())) {
        std::abort();
    }
    return 0;
}
