// SPDX-License-Identifier: MIT
// The sjcl container parser (Passman fields): any bytes, as the base64 field and as the
// inner JSON, must give a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <sodium.h>

#include "crypto/sjcl.hpp"
#include "text/json_string.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // SecretBuffer (sodium_malloc) needs sodium_init, as in main().
    static const bool sodium_ready = sodium_init() >= 0;
    if (!sodium_ready) {
        std::abort();
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    static pah::Pbkdf2Cache cache(4);
    const auto password = pah::as_bytes("fuzz");
    (void)pah::sjcl_decrypt_json(password, text, &cache);
    (void)pah::sjcl_decrypt(password, text, &cache);
    (void)pah::passman_decrypt_string(password, nlohmann::json(std::string(text)), &cache);
    (void)pah::text::json_string_to_secret(text);
    return 0;
}
