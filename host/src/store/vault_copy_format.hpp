// SPDX-License-Identifier: MIT
// The vault copy's file format, shared by its reader (vault_copy.cpp) and its writer
// (vault_copy_write.cpp). Internal to store/.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "store/vault_copy.hpp"

namespace pah::store::copy_format {

inline constexpr std::string_view kMagic = "PAHVAULT";
inline constexpr std::size_t kHashBytes = 32;
// The smallest a record can be on disk: id and updated_at lengths, kind, field count.
inline constexpr std::size_t kMinRecordBytes = 4 + 4 + 1 + 1;

// BLAKE2b-256 of the bytes before it: the file's last 32 bytes.
std::array<unsigned char, kHashBytes> hash_of(std::string_view bytes);

// BAD_FORMAT, saying why, and that the copy will be fetched again.
std::unexpected<Error> malformed(const std::string& why);

// The header and meta within their bounds (the records are checked one by one).
bool header_fits(const VaultCopyHeader& copy, std::string* why);
bool record_fits(std::string_view id, std::string_view updated_at, std::span<const std::string_view> fields,
                 std::string* why);

}  // namespace pah::store::copy_format
