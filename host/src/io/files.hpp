// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

// File and descriptor I/O the layers above share.
namespace pah::io {

// Writes every byte (retrying short writes and EINTR); false on an error (errno set).
bool write_all(int fd, std::string_view bytes) noexcept;

// The whole file, or nullopt when it is missing, unreadable or larger than max_bytes
// (checked before reading).
std::optional<std::string> read_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

// The first max_bytes bytes of the file (fewer when it is shorter), or nullopt when it
// cannot be opened or read. For a look at a file's magic number.
std::optional<std::string> read_head(const std::filesystem::path& path, std::size_t max_bytes);

// Replaces `path` with `content` through a temporary file beside it, fsync and rename, so
// a reader sees the old file or the new one, never half of one. `mode`: the new file's
// permissions (0600 for the host's state, 0644 for manifests). Returns the error, if any.
std::error_code write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                  std::filesystem::perms mode);

// Makes a rename or create in `dir` durable.
void fsync_dir(const std::filesystem::path& dir) noexcept;

}  // namespace pah::io
