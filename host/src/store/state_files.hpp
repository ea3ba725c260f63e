// SPDX-License-Identifier: MIT
#pragma once

// Files in the host's state directory ($XDG_STATE_HOME/passagent-host/): the directory
// is 0700, every file 0600, and a file is replaced whole (written beside, fsync'ed,
// renamed over, the directory fsync'ed) so that a crash leaves the old or the new one,
// never half of either.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace pah::store {

// Creates `dir` (and its parents) if needed and sets it to 0700.
Result<void> ensure_private_dir(const std::filesystem::path& dir);

// Replaces `path` with `content` atomically (0600). Creates the directory (0700).
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content);

// The whole file, refused when it is larger than `max_bytes` (checked before reading).
// NOT_FOUND when it does not exist; TOO_LARGE when it is too big; INTERNAL for I/O errors.
Result<std::string> read_file_bounded(const std::filesystem::path& path, std::size_t max_bytes);

// Removes `path`; a missing file is not an error.
Result<void> remove_file(const std::filesystem::path& path);

// A name safe as one path component for an account id ("passagent:alice@example.org@
// https://host"): lowercase hex of its BLAKE2b-128, so that ids with slashes, dots or
// any length map to a fixed, harmless file name.
std::string file_stem_for(std::string_view account_id);

}  // namespace pah::store
