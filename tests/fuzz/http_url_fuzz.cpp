// SPDX-License-Identifier: MIT
// The API-address checks on arbitrary bytes (http::parse_url, check_transport, the
// loopback test): no crash, and what they accept keeps the promises callers rely on.
#include <cstdint>
#include <string_view>

#include "fuzz.hpp"
#include "http/url.hpp"

using pah::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = pah::fuzz::as_text(data, size);
    if (auto parts = pah::http::parse_url(text)) {
        check(parts->scheme == "https" || parts->scheme == "http");
        check(!parts->host.empty());
        check(!parts->path.empty() && parts->path.front() == '/');
        check(parts->port.size() <= 5);
        check(parts->host.find_first_of("@#") == std::string_view::npos);
    }
    if (auto checked = pah::http::check_transport(text)) {
        check(checked->scheme == "https" || pah::http::is_loopback_host(checked->host));
    }
    (void)pah::http::is_loopback_host(text);
    (void)pah::http::percent_encode(text);
    return 0;
}
