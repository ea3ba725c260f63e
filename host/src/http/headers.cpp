// SPDX-License-Identifier: MIT
#include "http/headers.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>

#include "text/ascii.hpp"

namespace pah::http {

void add_header_line(std::string_view raw, HeaderMap& headers, long* status) {
    const std::string_view line = text::trim(raw);
    if (line.starts_with("HTTP/")) {
        // A new response (after a 100 Continue, say): forget the previous headers.
        headers.clear();
        const auto space = line.find(' ');
        long code = 0;
        if (space != std::string_view::npos) {
            for (std::size_t i = space + 1; i < line.size() && i < space + 4; ++i) {
                if (!text::is_digit(line[i])) {
                    code = 0;
                    break;
                }
                code = code * 10 + (line[i] - '0');
            }
        }
        *status = code;
        return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return;
    }
    std::string name = text::to_lower(text::trim(line.substr(0, colon)));
    const std::string_view value = text::trim(line.substr(colon + 1));
    if (auto it = headers.find(name); it != headers.end()) {
        it->second.append(", ").append(value);
    } else {
        headers.emplace(std::move(name), std::string(value));
    }
}

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    // Howard Hinnant's algorithm: days since 1970-01-01.
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9U)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int month_index(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                              "jul", "aug", "sep", "oct", "nov", "dec"};
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (text::iequals(name, kMonths.at(i))) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
    if (text.size() > 64) {
        return std::nullopt;
    }
    const std::string s(text);
    std::array<char, 16> wk{};
    std::array<char, 4> mon{};
    int day = 0;
    int year = 0;
    int hh = 0;
    int mm = 0;
    int ss = 0;
    int consumed = 0;
    // Every number has a field width, so none overflows unseen; the empty branches only say
    // which form matched.
    // NOLINTBEGIN(bugprone-branch-clone,cert-err34-c)
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wk.data(), &day,
                    mon.data(), &year, &hh, &mm, &ss, &consumed) == 7 &&
        static_cast<std::size_t>(consumed) == s.size()) {
    } else if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n", wk.data(), &day,
                           mon.data(), &year, &hh, &mm, &ss, &consumed) == 7 &&
               static_cast<std::size_t>(consumed) == s.size()) {
        // RFC 850: a two-digit year (RFC 9110: read it as the nearest past century).
        year += year < 70 ? 2000 : 1900;
    } else if (std::sscanf(s.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wk.data(), mon.data(),
                           &day, &hh, &mm, &ss, &year, &consumed) == 7 &&
               static_cast<std::size_t>(consumed) == s.size()) {
        // asctime: "Sun Nov  6 08:49:37 1994"
    } else {
        return std::nullopt;
    }
    // NOLINTEND(bugprone-branch-clone,cert-err34-c)
    const int month = month_index(mon.data());
    if (month == 0 || day < 1 || day > 31 || year < 1970 || year > 9999 || hh > 23 || mm > 59 || ss > 60 ||
        hh < 0 || mm < 0 || ss < 0) {
        return std::nullopt;
    }
    const auto days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * 86400 + std::int64_t{hh} * 3600 + std::int64_t{mm} * 60 + ss;
}

std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now) {
    value = text::trim(value);
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::ranges::all_of(value, text::is_digit)) {
        if (value.size() > 10) {
            return std::numeric_limits<std::int32_t>::max();
        }
        std::int64_t seconds = 0;
        for (const char c : value) {
            seconds = seconds * 10 + (c - '0');
        }
        return seconds;
    }
    const auto when = parse_http_date(value);
    if (!when) {
        return std::nullopt;
    }
    return std::max<std::int64_t>(0, *when - now);
}

}  // namespace pah::http
