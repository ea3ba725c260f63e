// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace pah::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

// Logs go to stderr only (stdout carries frames). WARNING: never pass a secret, a
// request's params or a decrypted value here; log names, ids, sizes and codes.
void set_level(Level level) noexcept;
[[nodiscard]] Level level() noexcept;
// "error", "warn", "info", "debug"; false for anything else.
bool parse_level(std::string_view text, Level* out) noexcept;

void write(Level level, std::string_view module, std::string_view message) noexcept;

inline void error(std::string_view module, std::string_view message) noexcept {
    write(Level::Error, module, message);
}
inline void warn(std::string_view module, std::string_view message) noexcept {
    write(Level::Warn, module, message);
}
inline void info(std::string_view module, std::string_view message) noexcept {
    write(Level::Info, module, message);
}
inline void debug(std::string_view module, std::string_view message) noexcept {
    write(Level::Debug, module, message);
}

}  // namespace pah::log
