// SPDX-License-Identifier: MIT
// The URL parser and matcher on arbitrary bytes: no crash, no UB, and the invariants
// matching relies on. The input is split at the first newline into a page URL and an
// entry URL.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz.hpp"
#include "match/url.hpp"
#include "match/url_match.hpp"

using pah::fuzz::check;

namespace {

void check_invariants(const pah::match::ParsedUrl& url) {
    if (!url.is_web()) {
        return;
    }
    for (const char c : url.host) {
        check(static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z'));
    }
    check(url.host.back() != '.');
    check(url.port >= 0 && url.port <= 65535);
    check(!url.path.empty() && url.path.front() == '/');
    // The normalised form parses to itself, when it fits the parser's limit: it is longer
    // than a bare host's text ("0t/..." becomes "https://0t:443/...").
    const std::string again =
        url.scheme + "://" + url.host + ":" + std::to_string(url.port) + url.path;
    if (again.size() > pah::match::kMaxUrlLength) {
        return;
    }
    const auto reparsed = pah::match::parse_url(again);
    check(reparsed.has_value());
    check(reparsed->host == url.host && reparsed->port == url.port &&
          reparsed->is_ip == url.is_ip && reparsed->registrable_domain == url.registrable_domain);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = pah::fuzz::as_text(data, size);
    const auto newline = input.find('\n');
    const auto first = input.substr(0, newline);
    const auto second = newline == std::string_view::npos ? input : input.substr(newline + 1);

    const auto page = pah::match::parse_url(first);
    const auto entry = pah::match::parse_url(second);
    if (page) {
        check_invariants(*page);
    }
    if (entry) {
        check_invariants(*entry);
    }
    if (page && entry) {
        if (const auto score = pah::match::match_score(*page, *entry)) {
            // A match is the same host or a parent within one registrable domain.
            check(page->is_web() && entry->is_web() && !entry->is_public_suffix);
            check(entry->host == page->host ||
                  (page->host.ends_with("." + entry->host) && !page->is_ip &&
                   entry->registrable_domain == page->registrable_domain &&
                   !entry->registrable_domain.empty()));
            check(!(entry->scheme == "https" && page->scheme == "http"));
        }
    }
    return 0;
}
