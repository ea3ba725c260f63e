// SPDX-License-Identifier: MIT
#include "config/caller.hpp"

#include <algorithm>

namespace pah {

namespace {

constexpr std::string_view kChromePrefix = "chrome-extension://";

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string Caller::describe() const {
    switch (kind) {
        case Kind::Chromium: return "the Chromium extension " + id;
        case Kind::Firefox: return "the Firefox add-on " + id;
        case Kind::Terminal: return "the terminal";
    }
    return "an unknown caller";
}

bool looks_like_browser_start(std::span<const std::string_view> args) {
    if (args.empty()) {
        return false;
    }
    if (args[0].starts_with(kChromePrefix)) {
        return true;
    }
    return args.size() >= 2 && ends_with(args[0], ".json") && !args[1].starts_with("-");
}

Caller caller_from_args(std::span<const std::string_view> args) {
    Caller caller;
    if (!looks_like_browser_start(args)) {
        return caller;
    }
    if (args[0].starts_with(kChromePrefix)) {
        caller.kind = Caller::Kind::Chromium;
        caller.id = std::string(args[0]);
        if (!ends_with(caller.id, "/")) {
            caller.id += '/';
        }
        return caller;
    }
    caller.kind = Caller::Kind::Firefox;
    caller.id = std::string(args[1]);
    return caller;
}

bool is_allowed(const Caller& caller, const Config& config) {
    switch (caller.kind) {
        case Caller::Kind::Terminal:
            return true;
        case Caller::Kind::Chromium:
            return std::ranges::find(config.allowed_origins, caller.id) !=
                   config.allowed_origins.end();
        case Caller::Kind::Firefox:
            return std::ranges::find(config.allowed_extensions, caller.id) !=
                   config.allowed_extensions.end();
    }
    return false;
}

}  // namespace pah
