// SPDX-License-Identifier: MIT
// otpauth:// URIs and bare secrets: a parsed result must give a code of the right length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz.hpp"
#include "totp/otpauth.hpp"
#include "totp/totp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pah::fuzz::need_sodium();
    const std::string_view text = pah::fuzz::as_text(data, size);
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
