// SPDX-License-Identifier: MIT
#pragma once

// The local copy of a PassAgent vault (store/vault_copy, docs/local-store.md) made from
// the backend's own types and read back into them. Pure: no I/O, no locking, no key.
// WARNING: only what the server sent goes in (ciphertexts, the clear fields, the KDF
// parameters and salt, the verifier, the encrypted private key). A V3 or shared entry's
// username is decrypted at sync: it is never written, and opened again after a load.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/records.hpp"
#include "protocol/error.hpp"
#include "store/vault_copy.hpp"

namespace pah::passagent {

inline constexpr std::string_view kCopyBackend = "passagent";

// The server's replies as JSON text in their wire shapes (A4, A6, seed 002), so that
// a copy is read back through the same parsers as a reply.
std::string salt_reply_text(const SaltReply& salt);
std::string keys_reply_text(const KeysReply& keys);
std::string totp_config_text(const TotpConfig& config);

// What a copy says besides its records.
struct CopyHeader {
    std::string account;
    std::string server;
    std::string salt;    // salt_reply_text
    std::string keys;    // keys_reply_text; empty: the account has no key pair
    std::string cursor;  // the id the listing ended at
    std::int64_t saved_at = 0;
    std::int64_t full_listing_at = 0;  // 0: saved_at
};

// The copy of a synced snapshot as file bytes: `records[i]` is what `items[i]` shows,
// sealed; written record by record (store::VaultCopyWriter). BAD_REQUEST / TOO_LARGE past
// the format's bounds.
Result<std::string> vault_copy_bytes(const CopyHeader& header, const ItemList& items,
                                     const std::vector<EncryptedRecord>& records,
                                     const std::unordered_map<std::string, TotpConfig>& totp);

// A copy read back. The usernames of V3 and shared records are still to be opened.
struct OpenedCopy {
    SaltReply salt;
    std::optional<KeysReply> keys;
    std::vector<ParsedRecord> records;
    std::unordered_map<std::string, TotpConfig> totp;
    std::size_t skipped = 0;  // records that do not read back (counted, like a sync's)
    std::int64_t saved_at = 0;
    std::int64_t full_listing_at = 0;
    std::string cursor;
};

// The copy of `account` read from `store` straight into the backend's types, record by
// record. NOT_FOUND without one; BAD_FORMAT when the store's loader refuses the file, or
// the copy is not a PassAgent copy of `server`, or its salt or keys do not parse. A
// record that does not read back is skipped (and counted).
Result<OpenedCopy> load_vault_copy(const store::VaultCopyStore& store, std::string_view account,
                                   std::string_view server);

}  // namespace pah::passagent
