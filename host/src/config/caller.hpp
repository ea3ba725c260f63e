// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace pah {

// Who started the host, from its argv.
struct Caller {
    enum class Kind { Terminal, Chromium, Firefox };
    Kind kind = Kind::Terminal;
    std::string id;  // chrome-extension://<id>/ or the Firefox add-on id

    [[nodiscard]] std::string describe() const;
};

// Chromium: argv[1] = "chrome-extension://<id>/" (plus --parent-window=… on Windows).
// Firefox: argv[1] = the host manifest's path, argv[2] = the add-on id.
// Returns Terminal when argv names no browser caller.
Caller caller_from_args(std::span<const std::string_view> args);
[[nodiscard]] bool looks_like_browser_start(std::span<const std::string_view> args);

[[nodiscard]] bool is_allowed(const Caller& caller, const Config& config);

}  // namespace pah
