// SPDX-License-Identifier: MIT
// Response header lines as libcurl hands them over, then the values backends act on
// (Retry-After, HTTP-dates): no crash, names lower-case, delays never negative.
#include <cstdint>
#include <string_view>

#include "fuzz.hpp"
#include "http/headers.hpp"

using pah::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    pah::http::HeaderMap headers;
    long status = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto line = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
        text.remove_prefix(line.size());
        pah::http::add_header_line(line, headers, &status);
        check(status >= 0 && status <= 999);
    }
    for (const auto& [name, value] : headers) {
        check(!name.empty());
        for (const char c : name) {
            check(!(c >= 'A' && c <= 'Z'));
        }
        if (const auto seconds = pah::http::parse_retry_after(value, 1'700'000'000)) {
            check(*seconds >= 0);
        }
        (void)pah::http::parse_http_date(value);
    }
    return 0;
}
