// SPDX-License-Identifier: MIT
#pragma once

// What the fuzz targets share: their input as text, sodium for SecretBuffer, and a check
// that turns a broken promise into a crash (which libFuzzer and replay_main report).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <sodium.h>

namespace pah::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
    return {reinterpret_cast<const char*>(data), size};
}

// SecretBuffer (sodium_malloc) needs sodium_init, as in main().
inline void need_sodium() noexcept {
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        std::abort();
    }
}

inline void check(bool ok) noexcept {
    if (!ok) {
        std::abort();
    }
}

}  // namespace pah::fuzz
