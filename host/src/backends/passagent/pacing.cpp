// SPDX-License-Identifier: MIT
#include "backends/passagent/pacing.hpp"

#include <array>
#include <cstddef>

namespace pah::passagent {

namespace {

// Up to four segments of the path, without its query.
struct Segments {
    std::array<std::string_view, 4> at{};
    std::size_t count = 0;
};

Segments split(std::string_view path) {
    path = path.substr(0, path.find('?'));
    Segments out;
    while (!path.empty() && out.count < out.at.size() + 1) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const std::size_t end = path.find('/');
        if (out.count == out.at.size()) {
            ++out.count;  // more than four: marks "longer"
            break;
        }
        out.at[out.count++] = path.substr(0, end);
        path.remove_prefix(end == std::string_view::npos ? path.size() : end);
    }
    return out;
}

}  // namespace

std::string_view pace_category(std::string_view method, std::string_view path) noexcept {
    const Segments s = split(path);
    if (s.count == 0) {
        return "general";
    }
    const std::string_view first = s.at[0];
    if (first == "passwords" && method == "GET") {
        if (s.count == 2 || (s.count == 4 && s.at[2] == "totp" && s.at[3] == "code")) {
            return "reveal";
        }
    }
    if (first == "sharing") {
        return method == "POST" && s.count == 1 ? "shareCreate" : "sharing";
    }
    if (first == "session-shares" && method == "POST" && s.count == 1) {
        return "sessionShareCreate";
    }
    if (first == "2fa" && method == "POST" && s.count == 2 && s.at[1] == "enroll") {
        return "twofaEnroll";
    }
    return "general";
}

}  // namespace pah::passagent
