// SPDX-License-Identifier: MIT
// otpauth:// URIs and bare secrets: a parsed result must give a code of the right length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <sodium.h>

#include "totp/otpauth.hpp"
#include "totp/totp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // SecretBuffer (sodium_malloc) needs sodium_init, as in main().
    static const bool sodium_ready = sodium_init() >= 0;
    if (!sodium_ready) {
        std::abort();
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& parsed : {pah::parse_otpauth(text), pah::parse_totp_input(text)}) {
        if (!parsed) {
            continue;
        }
        const auto code = pah::totp_at(parsed->key.span(), parsed->params, 1'700'000'000);
        if (parsed->key.empty() || code.code.size() != parsed->params.digits ||
            code.remaining < 1 || code.remaining > parsed->params.period_seconds) {
            std::abort();
        }
    }
    return 0;
}
