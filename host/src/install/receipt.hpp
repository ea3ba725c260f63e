// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "install/browsers.hpp"
#include "protocol/error.hpp"

namespace pah::install {

// A receipt (or a manifest it lists) larger than this is not ours.
inline constexpr std::uintmax_t kMaxReceiptBytes = 1024 * 1024;

inline std::string scope_name(Scope scope) { return scope == Scope::User ? "user" : "system"; }

// What install wrote (and created), so that uninstall removes exactly that: a JSON
// file at receipt_path() (installer.hpp).
struct ReceiptEntry {
    std::filesystem::path path;
    std::string sha256;
    std::vector<std::string> browsers;
};

struct Receipt {
    std::vector<ReceiptEntry> files;
    std::vector<std::filesystem::path> dirs;  // created by install, removed when empty again
};

// An empty receipt when there is no file; BAD_FORMAT when it cannot be read.
Result<Receipt> load_receipt(const std::filesystem::path& path);
// Writes it (0644), or removes the file when the receipt lists no file.
Result<void> save_receipt(const std::filesystem::path& path, const Receipt& receipt, Scope scope);

}  // namespace pah::install
