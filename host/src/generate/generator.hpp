// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::generate {

enum class Preset {
    Strong,     // characters from the chosen classes
    Memorable,  // words from the EFF Large Wordlist
    Pin,        // digits only
};

inline constexpr std::size_t kMinLength = 8;
inline constexpr std::size_t kMaxLength = 128;
inline constexpr std::size_t kMinPinLength = 4;
inline constexpr std::size_t kMaxPinLength = 12;
inline constexpr std::size_t kMinWords = 3;
inline constexpr std::size_t kMaxWords = 10;
inline constexpr std::size_t kMaxSeparator = 3;

inline constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
inline constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
inline constexpr std::string_view kDigits = "0123456789";
// No quotes, backslash, backtick or space: the ones forms most often refuse.
inline constexpr std::string_view kSymbols = "!#$%&()*+,-./:;<=>?@[]^_{|}~";
inline constexpr std::string_view kAmbiguous = "0Oo1lI|";

struct Options {
    Preset preset = Preset::Strong;
    std::size_t length = 20;  // Strong: 8–128; Pin: 4–12; unused by Memorable
    bool lower = true;        // Memorable: ignored (words are lower case)
    bool upper = true;        // Memorable: capitalise every word
    bool digits = true;       // Memorable: one random digit after one random word
    bool symbols = true;      // Memorable: ignored
    std::string exclude;      // ASCII characters never to use (Strong, Pin)
    bool exclude_ambiguous = false;
    std::size_t words = 5;        // Memorable: 3–10
    std::string separator = "-";  // Memorable: 0–3 printable ASCII characters
};

struct Generated {
    SecretBuffer password;
    // A lower bound on the Shannon entropy of the generator's output, in bits.
    double entropy_bits = 0;
};

// Uniform choices through randombytes_uniform (no modulo bias), a Fisher–Yates shuffle,
// every requested class at least once. VALIDATION when the options leave nothing to
// choose from (every class off, or excluded away); BAD_REQUEST for out-of-range sizes.
Result<Generated> generate_password(const Options& options);

}  // namespace pah::generate
