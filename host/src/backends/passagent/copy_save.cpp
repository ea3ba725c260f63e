// SPDX-License-Identifier: MIT
// Keeping the local copy of the vault current: after every sync, and after every write
// (so that an offline unlock after it sees the change). A write's save runs on the saver
// thread, after the reply: the file is rewritten whole (5.8 MiB at 20,000 entries).
#include "backends/passagent/backend.hpp"

#include <optional>
#include <string>
#include <utility>

#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"
#include "store/account_facts.hpp"
#include "store/vault_copy.hpp"

namespace pah::passagent {

namespace {

void write_copy(const std::filesystem::path& state_dir, const std::string& account,
                const Result<std::string>& bytes) {
    if (!bytes) {
        log::warn("passagent", "the local copy of the vault was not saved: " + bytes.error().message);
        return;
    }
    if (auto saved = store::VaultCopyStore(state_dir).save_bytes(account, *bytes); !saved) {
        log::warn("passagent", "the local copy of the vault was not saved: " + saved.error().message);
    }
}

void note_last_sync(const std::filesystem::path& state_dir, const std::string& account, std::int64_t at) {
    if (auto noted = store::AccountFactsStore(state_dir).put_last_sync(account, at); !noted) {
        log::warn("passagent", "the account's last sync was not noted: " + noted.error().message);
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
    std::lock_guard saving(copy_mu_);
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
    // Straight from the snapshot, one record at a time: no whole copy in memory.
    write_copy(options_.state_dir, header->account, vault_copy_bytes(*header, list, records, totp));
    note_last_sync(options_.state_dir, header->account, header->saved_at);
}

void PassAgentBackend::save_written(bool synced) {
    if (options_.state_dir.empty()) {
        return;
    }
    // copy_mu_ first: the file written last is the state taken last.
    std::lock_guard saving(copy_mu_);
    std::string account;
    std::int64_t saved_at = 0;
    Result<std::string> bytes = std::string();
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
        account = header->account;
        saved_at = header->saved_at;
        // The bytes are made under the lock (the records change in place); the file is
        // written outside it.
        bytes = vault_copy_bytes(*header, *items_, vault_->records, vault_->totp);
    }
    write_copy(options_.state_dir, account, bytes);
    if (synced) {
        note_last_sync(options_.state_dir, account, saved_at);
    }
}

void PassAgentBackend::request_copy_save() {
    if (options_.state_dir.empty()) {
        return;
    }
    std::lock_guard lock(saver_mu_);
    if (saver_stop_) {
        return;
    }
    save_due_ = true;
    if (!saver_.joinable()) {
        saver_ = std::thread([this] { copy_saver_loop(); });
    }
    saver_cv_.notify_all();
}

void PassAgentBackend::copy_saver_loop() {
    std::unique_lock lock(saver_mu_);
    for (;;) {
        saver_cv_.wait(lock, [this] { return save_due_ || saver_stop_; });
        if (!save_due_) {
            return;  // stopping, nothing left to save
        }
        // Every write answered so far is in the open vault: one save covers them all.
        save_due_ = false;
        saving_ = true;
        lock.unlock();
        save_written();
        lock.lock();
        saving_ = false;
        saver_cv_.notify_all();
    }
}

void PassAgentBackend::flush_copy_save() noexcept {
    std::unique_lock lock(saver_mu_);
    if (!saver_.joinable() || saver_.get_id() == std::this_thread::get_id()) {
        return;
    }
    saver_cv_.wait(lock, [this] { return !save_due_ && !saving_; });
}

void PassAgentBackend::stop_copy_saver() noexcept {
    std::thread saver;
    {
        std::lock_guard lock(saver_mu_);
        saver_stop_ = true;
        saver = std::move(saver_);
    }
    saver_cv_.notify_all();
    if (saver.joinable()) {
        saver.join();
    }
}

}  // namespace pah::passagent
