// SPDX-License-Identifier: MIT
#pragma once

// The open vault of a PassAgentBackend. Private to the backend's .cpp files; every
// member is read and written under the backend's mu_ only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backends/passagent/backend.hpp"
#include "backends/passagent/records.hpp"
#include "backends/passagent/wire.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

// One entry as the backend finds it by id: its summary (in the shared item list) and
// its encrypted parts.
struct VaultEntry {
    const ItemSummary* summary = nullptr;
    const EncryptedRecord* record = nullptr;
};

// A write made here while a sync was listing: that sync's snapshot may hold the entry as
// it was before, so the write is applied again over it when it is swapped in (sync.cpp).
struct LocalChange {
    enum class Kind { Upsert, Remove, Totp };
    Kind kind = Kind::Upsert;
    std::string id;
    ItemSummary summary;             // Upsert
    EncryptedRecord sealed;          // Upsert
    std::optional<TotpConfig> totp;  // Totp: the new configuration (has_totp false: removed)
};

struct Vault {
    SecretBuffer key;          // the 32-byte vault key
    SecretBuffer private_der;  // PKCS#8 DER of the RSA key; empty when the account has none
    // records[i] is what the backend's items_[i] shows, sealed. (The item list itself,
    // the one copy of the summaries, is SessionBackend::items_.)
    std::vector<EncryptedRecord> records;
    // Positions in items/records, sorted by entry id.
    std::vector<std::uint32_t> by_id;
    // Entry TOTP configurations fetched at sync (zero-trust secrets stay encrypted).
    std::unordered_map<std::string, TotpConfig> totp;
    // The server's salt and key-pair replies as text (local_copy.hpp), for the local
    // copy each sync writes. Not secret: what the server sends anyone signed in.
    std::string salt_text;
    std::string keys_text;
    // A complete listing is in `records` (a sync finished, or the local copy's). Until
    // then a sync shows its pages as they arrive (sync.cpp).
    bool synced = false;
    // Where the listing continues (the last own record's id) and when the last full one
    // ran (Unix seconds), as the local copy keeps them.
    std::string cursor;
    std::int64_t full_listing_at = 0;
    // A sync is listing: writes are recorded in `changes` as well (see LocalChange).
    bool listing = false;
    std::vector<LocalChange> changes;

    // The entry with this id in `items` (the backend's items_), or nothing.
    [[nodiscard]] std::optional<VaultEntry> find(const ItemList* items, std::string_view id) const;
    // Loads the private key for one operation (null when there is none).
    [[nodiscard]] std::optional<RsaPrivateKey> private_key() const;
    [[nodiscard]] RecordKeys keys(const RsaPrivateKey* private_key) const { return {&key, private_key}; }
};

}  // namespace pah::passagent
