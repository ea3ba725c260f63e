// SPDX-License-Identifier: MIT
// Keeping the local copy of the vault current: after every sync, and after every write
// (so that an offline unlock right after it sees the change).
#include "backends/passagent/backend.hpp"

#include <optional>
#include <utility>

#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"
#include "store/account_facts.hpp"
#include "store/vault_copy.hpp"

namespace pah::passagent {

namespace {

void write_copy(const std::filesystem::path& state_dir, const store::VaultCopy& copy) {
    if (auto saved = store::VaultCopyStore(state_dir).save(copy); !saved) {
        log::warn("passagent", "the local copy of the vault was not saved: " + saved.error().message);
    }
}

}  // namespace

std::optional<CopyHeader> PassAgentBackend::copy_header_locked() const {
    if (!vault_ || vault_->salt_text.empty()) {
        return std::nullopt;
    }
    CopyHeader header;
    header.salt = vault_->salt_text;
    header.keys = vault_->keys_text;
    header.account = std::string(kind()) + ":" + user_ + "@" + server_;
    header.server = server_;
    return header;
}

void PassAgentBackend::save_copy(const ItemList& list, const std::vector<EncryptedRecord>& records,
                                 const std::unordered_map<std::string, TotpConfig>& totp, std::string cursor,
                                 std::int64_t full_listing_at) {
    if (options_.state_dir.empty()) {
        return;
    }
    std::optional<CopyHeader> header;
    {
        std::lock_guard lock(mu_);
        header = copy_header_locked();
    }
    if (!header) {
        return;
    }
    header->cursor = std::move(cursor);
    header->saved_at = unix_now();
    header->full_listing_at = full_listing_at;
    std::lock_guard saving(copy_mu_);
    write_copy(options_.state_dir, make_vault_copy(*header, list, records, totp));
    if (auto noted =
            store::AccountFactsStore(options_.state_dir).put_last_sync(header->account, header->saved_at);
        !noted) {
        log::warn("passagent", "the account's last sync was not noted: " + noted.error().message);
    }
}

void PassAgentBackend::save_written(bool synced) {
    if (options_.state_dir.empty()) {
        return;
    }
    std::optional<store::VaultCopy> copy;
    {
        std::lock_guard lock(mu_);
        // Half a first listing is not a copy: the sync that completes it writes one.
        if (!unlocked_ || !items_ || !vault_ || !vault_->synced) {
            return;
        }
        std::optional<CopyHeader> header = copy_header_locked();
        if (!header) {
            return;
        }
        header->cursor = vault_->cursor;
        header->saved_at = last_sync_.value_or(0);  // a write is not a sync: lastSync stays
        header->full_listing_at = vault_->full_listing_at;
        copy = make_vault_copy(*header, *items_, vault_->records, vault_->totp);
    }
    std::lock_guard saving(copy_mu_);
    write_copy(options_.state_dir, *copy);
    if (synced) {
        if (auto noted =
                store::AccountFactsStore(options_.state_dir).put_last_sync(copy->account, copy->saved_at);
            !noted) {
            log::warn("passagent", "the account's last sync was not noted: " + noted.error().message);
        }
    }
}

}  // namespace pah::passagent
