// SPDX-License-Identifier: MIT
#include "log/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace pah::log {

namespace {

std::atomic<int> g_level{static_cast<int>(Level::Warn)};

constexpr std::string_view kNames[] = {"ERROR", "WARN", "INFO", "DEBUG"};

}  // namespace

void set_level(Level lvl) noexcept { g_level.store(static_cast<int>(lvl)); }

Level level() noexcept { return static_cast<Level>(g_level.load()); }

bool parse_level(std::string_view text, Level* out) noexcept {
    static constexpr std::pair<std::string_view, Level> table[] = {
        {"error", Level::Error}, {"warn", Level::Warn}, {"info", Level::Info},
        {"debug", Level::Debug}};
    for (const auto& [name, lvl] : table) {
        if (text == name) {
            *out = lvl;
            return true;
        }
    }
    return false;
}

void write(Level lvl, std::string_view module, std::string_view message) noexcept {
    if (static_cast<int>(lvl) > g_level.load()) {
        return;
    }
    try {
        const auto now = std::chrono::system_clock::now();
        const std::time_t secs = std::chrono::system_clock::to_time_t(now);
        const auto millis =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
            1000;
        std::tm tm{};
        if (::gmtime_r(&secs, &tm) == nullptr) {
            tm = std::tm{};  // a year past int's range: the line is logged all the same
        }
        char stamp[96];
        if (std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                          static_cast<int>(millis)) < 0) {
            stamp[0] = '\0';
        }
        std::string line;
        line.reserve(64 + module.size() + message.size());
        line += "passagent-host ";
        line += stamp;
        line += ' ';
        line += kNames[static_cast<int>(lvl)];
        line += ' ';
        line += module;
        line += ": ";
        line += message;
        line += '\n';
        // One write(2) per line keeps lines whole across threads.
        const char* p = line.data();
        std::size_t left = line.size();
        while (left > 0) {
            const ssize_t n = ::write(STDERR_FILENO, p, left);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    } catch (...) {
        // Logging never throws into its caller.
    }
}

}  // namespace pah::log
