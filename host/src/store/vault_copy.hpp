// SPDX-License-Identifier: MIT
#pragma once

// The local copy of a vault: what the server sent and nothing the host derived from it.
// Ciphertexts, the KDF parameters and salt, the verifier, the encrypted private key, the
// fields the server keeps in clear (names, websites), the listing cursor and each
// record's updated_at. WARNING: never a key, never a decrypted value: whatever a backend
// puts here lands on disk as it is.
//
// File: <state_dir>/vaults/<file_stem_for(account)>.vault (0600, dir 0700), replaced
// atomically. Little-endian binary, every length checked against its bound before
// anything is allocated, a BLAKE2b-256 of the content at the end:
//
//   "PAHVAULT" u32 version(=1)
//   str backend  str account  str server  i64 saved_at  i64 full_listing_at  str cursor
//   u32 meta_count    { str name  blob value }
//   u32 record_count  { str id  str updated_at  u8 kind  u8 field_count { blob field } }
//   u8[32] BLAKE2b-256 of everything before it
//
// str and blob are u32 length + bytes. The nesting is fixed (file, record, field): a
// record holds at most kMaxCopyFields flat byte strings and nothing nests further.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/error.hpp"

namespace pah::store {

inline constexpr std::uint32_t kVaultCopyVersion = 1;
inline constexpr std::size_t kMaxCopyFileBytes = std::size_t{512} << 20;
inline constexpr std::size_t kMaxCopyRecords = 2'000'000;
inline constexpr std::size_t kMaxCopyFields = 16;
inline constexpr std::size_t kMaxCopyMeta = 64;
inline constexpr std::size_t kMaxCopyBlob = std::size_t{1} << 20;  // one field or meta value
inline constexpr std::size_t kMaxCopyText = 2048;                   // backend, account, server, cursor
inline constexpr std::size_t kMaxCopyId = 256;                      // record id, updated_at, meta name

// One record as the server sent it, in the backend's own field order. `kind` is the
// backend's (e.g. PassAgent v2 / v3 / received share).
struct CopyRecord {
    std::string id;
    std::string updated_at;
    std::uint8_t kind = 0;
    std::vector<std::string> fields;

    bool operator==(const CopyRecord&) const = default;
};

struct VaultCopy {
    std::string backend;
    std::string account;
    std::string server;
    std::int64_t saved_at = 0;         // Unix seconds of the sync that wrote it
    std::int64_t full_listing_at = 0;  // Unix seconds of the last full re-listing
    std::string cursor;                // where an incremental listing continues (last id)
    std::vector<std::pair<std::string, std::string>> meta;  // "salt", "kdf", "verifier", ...
    std::vector<CopyRecord> records;

    // The value of meta entry `name`, or null.
    [[nodiscard]] const std::string* find_meta(std::string_view name) const noexcept;
    // Sets (or replaces) meta entry `name`.
    void set_meta(std::string_view name, std::string value);

    bool operator==(const VaultCopy&) const = default;
};

// The file's bytes. Refuses (BAD_REQUEST) a copy past the bounds above, so that what is
// written can always be read back.
Result<std::string> serialize_vault_copy(const VaultCopy& copy);

// Reads a copy back. BAD_FORMAT with a message that says what is wrong (another file, a
// newer version, a damaged or cut file, a length past its bound) for anything malformed;
// never a partial copy.
Result<VaultCopy> parse_vault_copy(std::string_view bytes);

// The copies of every account, one file each. Thread-safe (each call is one file
// operation; writes are atomic).
class VaultCopyStore {
public:
    explicit VaultCopyStore(const std::filesystem::path& state_dir);

    Result<void> save(const VaultCopy& copy) const;
    // NOT_FOUND when the account has no copy; BAD_FORMAT when the file is damaged, and
    // also when it belongs to another account (a copied file, a hash collision).
    [[nodiscard]] Result<VaultCopy> load(std::string_view account) const;
    Result<void> remove(std::string_view account) const;
    [[nodiscard]] std::filesystem::path path_for(std::string_view account) const;

private:
    std::filesystem::path dir_;
};

}  // namespace pah::store
