// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string_view>

namespace pah::defaults {

// The project's own extension: its fixed Chromium id (from the manifest's key) and its
// gecko id. These are the allow-list when the config names none.
inline constexpr std::array<std::string_view, 1> kAllowedOrigins = {
    "chrome-extension://hipcecicbflniiemihoangdnijnmcbnf/",
};
inline constexpr std::array<std::string_view, 1> kAllowedExtensions = {
    "passagent-host@passagent.ai",
};

inline constexpr std::string_view kHostName = "ai.passagent.host";

}  // namespace pah::defaults
