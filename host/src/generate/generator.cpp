// SPDX-License-Identifier: MIT
#include "generate/generator.hpp"

#include <bit>
#include <cstdint>
#include <vector>

#include <sodium.h>

#include "generate/wordlist.hpp"

namespace pah::generate {

namespace {

// log2 of a count (an alphabet's or the word list's size), for the entropy figure. Not
// std::log2: it was the only function the host took from libm, and one more shared library
// costs every start of the host its loading and binding (docs/benchmarks.md). n = 2^e * m
// with m in [1, 2); ln m = 2 atanh(z), z = (m - 1) / (m + 1) <= 1/3, whose series has
// converged to double precision after 20 terms.
double log2_count(std::size_t n) noexcept {
    const auto e = static_cast<int>(std::bit_width(n)) - 1;
    const double m = static_cast<double>(n) / static_cast<double>(std::size_t{1} << e);
    const double z = (m - 1.0) / (m + 1.0);
    const double z2 = z * z;
    double term = z;
    double sum = 0;
    for (int k = 0; k < 20; ++k) {
        sum += term / static_cast<double>(2 * k + 1);
        term *= z2;
    }
    constexpr double kLn2 = 0.693147180559945309417232121458176568;
    return static_cast<double>(e) + 2.0 * sum / kLn2;
}

std::uint32_t uniform(std::size_t bound) {
    return randombytes_uniform(static_cast<std::uint32_t>(bound));
}

// The class's characters minus the excluded ones.
std::string filtered(std::string_view set, const Options& options) {
    std::string out;
    for (const char c : set) {
        const bool excluded = options.exclude.find(c) != std::string::npos ||
                              (options.exclude_ambiguous && kAmbiguous.find(c) != std::string_view::npos);
        if (!excluded) {
            out += c;
        }
    }
    return out;
}

void shuffle(SecretBuffer& buffer) {
    auto bytes = buffer.span();
    for (std::size_t i = bytes.size(); i > 1; --i) {
        const std::size_t j = uniform(i);
        std::swap(bytes[i - 1], bytes[j]);
    }
}

Result<Generated> characters(const Options& options, bool pin) {
    const std::size_t min = pin ? kMinPinLength : kMinLength;
    const std::size_t max = pin ? kMaxPinLength : kMaxLength;
    if (options.length < min || options.length > max) {
        return fail(ErrorCode::BadRequest,
                    "params.length must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + ".",
                    {{"field", "length"}});
    }
    struct Class {
        std::string_view name;
        std::string chars;
    };
    std::vector<Class> classes;
    if (pin) {
        classes.push_back({"digits", filtered(kDigits, options)});
    } else {
        if (options.lower) {
            classes.push_back({"lower", filtered(kLower, options)});
        }
        if (options.upper) {
            classes.push_back({"upper", filtered(kUpper, options)});
        }
        if (options.digits) {
            classes.push_back({"digits", filtered(kDigits, options)});
        }
        if (options.symbols) {
            classes.push_back({"symbols", filtered(kSymbols, options)});
        }
    }
    if (classes.empty()) {
        return fail(ErrorCode::Validation, "Choose at least one character set.");
    }
    std::string alphabet;
    double guaranteed_bits = 0;
    for (const auto& c : classes) {
        if (c.chars.empty()) {
            return fail(ErrorCode::Validation,
                        "The exclusions leave no character in the " + std::string(c.name) +
                            " set.",
                        {{"field", "exclude"}});
        }
        alphabet += c.chars;
        guaranteed_bits += log2_count(c.chars.size());
    }

    // One character of each class, the rest from all of them, then shuffled. Given the
    // shuffle, the output determines every choice, so H ≥ Σ log2|class| + rest·log2|all|.
    const std::size_t forced = pin ? 0 : classes.size();
    SecretBuffer out(options.length);
    auto bytes = out.span();
    for (std::size_t i = 0; i < forced; ++i) {
        bytes[i] = static_cast<std::uint8_t>(classes[i].chars[uniform(classes[i].chars.size())]);
    }
    for (std::size_t i = forced; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(alphabet[uniform(alphabet.size())]);
    }
    shuffle(out);
    sodium_memzero(alphabet.data(), alphabet.size());

    const double rest = static_cast<double>(options.length - forced);
    const double bits = (pin ? 0.0 : guaranteed_bits) + rest * log2_count(alphabet.size());
    return Generated{std::move(out), bits};
}

Result<Generated> memorable(const Options& options) {
    if (options.words < kMinWords || options.words > kMaxWords) {
        return fail(ErrorCode::BadRequest,
                    "params.words must be between " + std::to_string(kMinWords) + " and " +
                        std::to_string(kMaxWords) + ".",
                    {{"field", "words"}});
    }
    if (options.separator.size() > kMaxSeparator) {
        return fail(ErrorCode::BadRequest, "params.separator must be at most 3 characters.",
                    {{"field", "separator"}});
    }
    for (const char c : options.separator) {
        if (c < 0x20 || c > 0x7E) {
            return fail(ErrorCode::BadRequest,
                        "params.separator must be printable ASCII characters.",
                        {{"field", "separator"}});
        }
    }
    const auto list = eff_large_wordlist();
    std::vector<std::string_view> chosen;
    std::size_t size = 0;
    for (std::size_t i = 0; i < options.words; ++i) {
        chosen.push_back(list[uniform(list.size())]);
        size += chosen.back().size();
    }
    size += options.separator.size() * (options.words - 1);
    const std::size_t digit_after = options.digits ? uniform(options.words) : options.words;
    const char digit = options.digits ? kDigits[uniform(kDigits.size())] : '\0';
    size += options.digits ? 1 : 0;

    SecretBuffer out(size);
    auto bytes = out.span();
    std::size_t at = 0;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (i > 0) {
            for (const char c : options.separator) {
                bytes[at++] = static_cast<std::uint8_t>(c);
            }
        }
        for (std::size_t k = 0; k < chosen[i].size(); ++k) {
            char c = chosen[i][k];
            if (k == 0 && options.upper && c >= 'a' && c <= 'z') {
                c = static_cast<char>(c - 'a' + 'A');
            }
            bytes[at++] = static_cast<std::uint8_t>(c);
        }
        if (i == digit_after) {
            bytes[at++] = static_cast<std::uint8_t>(digit);
        }
    }
    // Word choices plus the digit's value; its position is not counted (lower bound).
    const double bits = static_cast<double>(options.words) * log2_count(list.size()) +
                        (options.digits ? log2_count(10) : 0.0);
    return Generated{std::move(out), bits};
}

}  // namespace

Result<Generated> generate_password(const Options& options) {
    if (sodium_init() < 0) {
        return fail(ErrorCode::Internal, "The random number generator is not available.");
    }
    switch (options.preset) {
    case Preset::Strong:
        return characters(options, false);
    case Preset::Pin:
        return characters(options, true);
    case Preset::Memorable:
        return memorable(options);
    }
    return fail(ErrorCode::Internal, "Unknown preset.");
}

}  // namespace pah::generate
