// SPDX-License-Identifier: MIT
// The sjcl container parser (Passman fields): any bytes, as the base64 field and as the
// inner JSON, must give a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/sjcl.hpp"
#include "fuzz.hpp"
#include "text/json_string.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pah::fuzz::need_sodium();
    const std::string_view text = pah::fuzz::as_text(data, size);
    static pah::Pbkdf2Cache cache(4);
    const auto password = pah::as_bytes("fuzz");
    (void)pah::sjcl_decrypt_json(password, text, &cache);
    (void)pah::sjcl_decrypt(password, text, &cache);
    (void)pah::passman_decrypt_string(password, nlohmann::json(std::string(text)), &cache);
    (void)pah::text::json_string_to_secret(text);
    return 0;
}
