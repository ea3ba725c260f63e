// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

namespace pah::generate {

// The EFF Large Wordlist (7,776 distinct lower-case words, 3–9 letters; four contain a
// hyphen). CC BY 3.0, Electronic Frontier Foundation; see wordlist.cpp.
std::span<const std::string_view> eff_large_wordlist() noexcept;

}  // namespace pah::generate
