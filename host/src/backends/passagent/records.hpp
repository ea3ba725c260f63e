// SPDX-License-Identifier: MIT
#pragma once

// PassAgent password records as the backend keeps them while a vault is open: the
// encrypted parts stay encrypted (parsed GCM boxes and wrapped keys) and are opened
// one entry at a time when a request asks. Pure: no I/O, no locking. How a record
// reads on the wire is in assumptions.hpp (parse_record, parse_received_share).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/rsa_oaep.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

enum class RecordKind {
    V2,      // username in clear, encrypted_password under the vault key
    V3,      // wrapped_item_key under the vault key, encrypted_data under the item key
    Shared,  // a received share: item key RSA-OAEP-wrapped to this user, encrypted_data
};

// One entry's encrypted parts, packed into a single heap block (one allocation per
// entry, sizes checked at parse time):
//   V2      iv | encrypted_password
//   V3      iv | wrapped_item_key | iv | encrypted_data
//   Shared  rsa_wrapped_item_key | iv | encrypted_data
// Its summary lives beside it (the backend's item list), never inside it.
class EncryptedRecord {
public:
    struct Box {
        ByteView iv;
        ByteView ciphertext;  // tag appended
    };

    EncryptedRecord() = default;
    static EncryptedRecord v2(const GcmBox& encrypted_password);
    static EncryptedRecord v3(const GcmBox& wrapped_item_key, const GcmBox& encrypted_data);
    static EncryptedRecord shared(ByteView rsa_wrapped_item_key, const GcmBox& encrypted_data);
    // The record whose block is `bytes` (as bytes() gave it); empty when the sizes do not add up.
    static EncryptedRecord from_bytes(RecordKind kind, std::uint32_t first_size, std::uint32_t second_size,
                                      ByteView bytes);

    [[nodiscard]] RecordKind kind() const noexcept { return kind_; }
    [[nodiscard]] bool empty() const noexcept { return !bytes_; }
    // V2: the password; V3: the wrapped item key. Both under the vault key.
    [[nodiscard]] Box vault_box() const noexcept;
    // Shared: the item key, RSA-OAEP-wrapped to this user.
    [[nodiscard]] ByteView rsa_wrapped_item_key() const noexcept;
    // V3 and Shared: the entry's JSON under the item key.
    [[nodiscard]] Box data_box() const noexcept;
    // The whole block, and the sizes that split it.
    [[nodiscard]] ByteView bytes() const noexcept { return {bytes_.get(), bytes_ ? heap_bytes() : 0}; }
    [[nodiscard]] std::uint32_t first_size() const noexcept { return first_size_; }
    [[nodiscard]] std::uint32_t second_size() const noexcept { return second_size_; }
    // The size of the heap block.
    [[nodiscard]] std::size_t heap_bytes() const noexcept;

private:
    static std::size_t block_size(RecordKind kind, std::size_t first_size, std::size_t second_size) noexcept;

    std::unique_ptr<std::uint8_t[]> bytes_;
    std::uint32_t first_size_ = 0;   // the first ciphertext (V2, V3) or the RSA bytes (Shared)
    std::uint32_t second_size_ = 0;  // the encrypted_data ciphertext (V3, Shared)
    RecordKind kind_ = RecordKind::V2;
};

// Copies `bytes` to `out` and returns the end of the copy (for the packers).
std::uint8_t* put_bytes(std::uint8_t* out, ByteView bytes);

// A record as read from the server: what the item list shows, and what stays sealed.
struct ParsedRecord {
    // For V3 and Shared the username is filled in by open_username() at sync.
    ItemSummary summary;
    EncryptedRecord sealed;
};

// The entries a sync has read so far, packed into one buffer per page until the sync
// ends. The vault's long-lived copies (four strings and one block per entry) are then
// all made at once, after the pages' JSON is gone: made while each page is read, every
// entry's small blocks would sit between that page's freed JSON and keep those heap
// pages resident after the sync.
class PackedEntries {
public:
    // Appends entries (summaries complete, usernames opened). Returns how many were too
    // large to pack (a field over 4 GiB) and so left out.
    std::size_t add(std::span<const ParsedRecord> entries);
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    // Every entry, in the order added, into `items` and `records`; empties this.
    void unpack_into(ItemList& items, std::vector<EncryptedRecord>& records);

private:
    std::vector<std::unique_ptr<std::uint8_t[]>> pages_;
    std::vector<std::size_t> page_sizes_;
    std::size_t count_ = 0;
};

// Positions of `list` sorted by entry id, for lookups. Entries whose id came earlier in
// `list` are dropped from `list` and `records` (parallel to it) first: an own entry wins
// over a received share of it, a repeated record counts once.
std::vector<std::uint32_t> index_by_id(ItemList& list, std::vector<EncryptedRecord>& records);

// BAD_FORMAT: "A PassAgent entry is malformed: <what>."
Error bad_record(std::string_view what);

// What opens a record. `private_key` may be null when the vault has no key pair (then
// shared records cannot be opened).
struct RecordKeys {
    const SecretBuffer* vault_key = nullptr;
    const RsaPrivateKey* private_key = nullptr;
};

// The 32-byte item key of a V3 or Shared record. A key that does not open (travel mode,
// damage) is BAD_FORMAT with a message that says so; never the key in it.
Result<SecretBuffer> open_item_key(const EncryptedRecord& record, const RecordKeys& keys);

// The whole entry, for one request. The password and notes are SecretBuffers; the
// caller drops them (and so wipes them) once the reply is written.
// `summary` is the entry's own (its username for V2, its url when the data has none).
Result<Credential> open_record(const EncryptedRecord& record, const ItemSummary& summary, const RecordKeys& keys);

// Only the username of a V3 or Shared record (what the summary needs), decrypting into
// `scratch` (grown as needed, wiped after use) so that a sync of thousands of records
// does not allocate locked memory per record. V2 records already have theirs.
Result<std::string> open_username(const ParsedRecord& record, const RecordKeys& keys, SecretBuffer& scratch);

}  // namespace pah::passagent
