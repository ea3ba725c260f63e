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
#include <functional>
#include <optional>
#include <span>
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

// What a copy says besides its records: whose it is, where it came from, and the meta
// entries. Handed to VaultCopyWriter, and given back by the loader (which hands the
// records on one by one: a copy is never held whole in memory).
struct VaultCopyHeader {
    std::string backend;
    std::string account;
    std::string server;
    std::int64_t saved_at = 0;         // Unix seconds of the sync that wrote it
    std::int64_t full_listing_at = 0;  // Unix seconds of the last full re-listing
    std::string cursor;                // where an incremental listing continues (last id)
    std::vector<std::pair<std::string, std::string>> meta;  // "salt", "kdf", "verifier", ...

    // The value of meta entry `name`, or null.
    [[nodiscard]] const std::string* find_meta(std::string_view name) const noexcept;
    // Sets (or replaces) meta entry `name`.
    void set_meta(std::string_view name, std::string value);

    bool operator==(const VaultCopyHeader&) const = default;
};

// Writes a copy's bytes record by record, from whatever the backend holds, so that a
// vault of 20,000 entries is never also 200,000 small strings in memory. Give the header
// and how many records follow; add exactly that many; finish() gives the file's bytes.
// Refuses (BAD_REQUEST) anything past the bounds above, so that what is written can
// always be read back.
class VaultCopyWriter {
public:
    // `reserve`: the bytes expected (a guess saves the string from growing by doubling).
    VaultCopyWriter(const VaultCopyHeader& header, std::size_t record_count, std::size_t reserve = 0);
    // BAD_REQUEST when the record is past a bound, or one more than announced.
    Result<void> add(std::string_view id, std::string_view updated_at, std::uint8_t kind,
                     std::span<const std::string_view> fields);
    // The bytes with their checksum; BAD_REQUEST when fewer records came than announced,
    // or the header was past a bound; TOO_LARGE past 512 MiB.
    Result<std::string> finish();

private:
    std::string out_;
    std::size_t announced_ = 0;
    std::size_t added_ = 0;
    std::string error_;  // the first bound broken
};

// One record as the loader reads it: views into the file's bytes, valid during the call.
struct CopyRecordView {
    std::string_view id;
    std::string_view updated_at;
    std::uint8_t kind = 0;
    std::span<const std::string_view> fields;
};
using RecordSink = std::function<void(const CopyRecordView&)>;

// Reads a copy: the header is returned, and each record is handed to `on_record` as it
// is read, so that a backend makes its own types straight from the file's bytes.
// BAD_FORMAT with a message that says what is wrong (another file, a newer version, a
// damaged or cut file, a length past its bound) for anything malformed; on an error the
// records handed on so far are to be dropped. `account`: a copy of another account is
// refused before any record is handed on.
Result<VaultCopyHeader> parse_vault_copy_each(std::string_view bytes, const RecordSink& on_record,
                                              std::optional<std::string_view> account);

// The copies of every account, one file each. Thread-safe (each call is one file
// operation; writes are atomic).
class VaultCopyStore {
public:
    explicit VaultCopyStore(const std::filesystem::path& state_dir);

    // `bytes` (VaultCopyWriter's) as the copy of `account`, replacing it atomically.
    Result<void> save_bytes(std::string_view account, std::string_view bytes) const;
    // The copy of `account` through parse_vault_copy_each. NOT_FOUND when the account has
    // no copy; BAD_FORMAT when the file is damaged, and also when it belongs to another
    // account (a copied file, a hash collision).
    Result<VaultCopyHeader> load_each(std::string_view account, const RecordSink& on_record) const;
    Result<void> remove(std::string_view account) const;
    [[nodiscard]] std::filesystem::path path_for(std::string_view account) const;

private:
    std::filesystem::path dir_;
};

}  // namespace pah::store
