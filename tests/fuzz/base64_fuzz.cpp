// SPDX-License-Identifier: MIT
// Base64/base64url decoding (and hex, on the same input); round trips must hold.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/encoding.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pah::fuzz::need_sodium();
    const std::string_view text = pah::fuzz::as_text(data, size);
    const auto decoded = pah::base64_decode(text);
    const auto secret = pah::base64_decode_secret(text);
    if (decoded.has_value() != secret.has_value() || (decoded && !secret->equals(*decoded))) {
        std::abort();
    }
    if (decoded && pah::base64_decode(pah::base64_encode(*decoded, true, false)) != decoded) {
        std::abort();
    }
    if (const auto hex = pah::hex_decode(text); hex && pah::hex_decode(pah::hex_encode(*hex)) != hex) {
        std::abort();
    }
    (void)pah::is_valid_utf8(pah::ByteView(data, size));
    const pah::ByteView bytes(data, size);
    const auto round = pah::base64_decode(pah::base64_encode(bytes, size % 3 == 0, size % 2 == 0));
    if (!round || *round != pah::Bytes(bytes.begin(), bytes.end())) {
        std::abort();
    }
    return 0;
}
