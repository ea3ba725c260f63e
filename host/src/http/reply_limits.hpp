// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

// The largest reply body the host reads, per family of endpoint (docs/security.md,
// "Bounded input"). HttpClient refuses a larger Content-Length before reading a byte,
// and stops a transfer whose running total passes the cap (TOO_LARGE), so a hostile
// server cannot make the host buffer more than this; the parsed JSON is bounded again
// by text::kOutsideJsonLimits.
namespace pah::http {

// Sign-in, tokens, keys, salts: a few KiB in practice.
inline constexpr std::size_t kLoginReplyBytes = std::size_t{1} << 20U;
// One entry, one share, one folder's details.
inline constexpr std::size_t kItemReplyBytes = std::size_t{4} << 20U;
// A page of a list, a whole vault (Passman), a folder's entries (Passwork): ~16,000
// entries of 1 KiB. Also the default for a request that names no family.
inline constexpr std::size_t kListReplyBytes = std::size_t{16} << 20U;

}  // namespace pah::http
