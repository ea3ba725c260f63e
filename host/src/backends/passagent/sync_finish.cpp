// SPDX-License-Identifier: MIT
// A sync's end: what it listed becomes the open vault (a live first sync's own entries,
// or an incremental one's new entries after the old), the writes made meanwhile applied
// again over it, and the copy saved (sync.cpp lists).
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "backends/passagent/backend.hpp"
#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/sync_run.hpp"
#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"

namespace pah::passagent {

using nlohmann::json;
using sync_detail::report_synced;
using sync_detail::totp_ids;

namespace sync_detail {

void report_synced(const Progress& progress, std::size_t done, std::size_t skipped, std::size_t count,
                   bool incremental) {
    if (progress) {
        progress("sync", json{{"done", done},
                              {"items", count},
                              {"skipped", skipped},
                              {"complete", true},
                              {"incremental", incremental}});
    }
}

}  // namespace sync_detail

// A live first sync's end: the open vault already shows every entry it listed
// (show_taken), so it is the snapshot; no second one is made beside it, and the copy is
// written from it. Writes made meanwhile changed the open vault itself.
Result<std::size_t> PassAgentBackend::finish_live(PassAgentApi& api, SyncRun& run, const Progress& progress) {
    std::vector<std::string> wanted;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != run.epoch || !vault_ || !unlocked_ || !items_) {
            return std::unexpected(locked_error());
        }
        wanted = totp_ids(*items_, vault_->records, options_.totp_prefetch_limit);
    }
    std::unordered_map<std::string, TotpConfig> totp;
    if (auto fetched = prefetch_totp(api, wanted, totp); !fetched) {
        return std::unexpected(fetched.error());
    }
    std::size_t count = 0;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != run.epoch || !vault_ || !unlocked_ || !items_) {
            return std::unexpected(locked_error());
        }
        vault_->listing = false;
        vault_->changes.clear();
        for (auto& [id, config] : totp) {
            vault_->totp.try_emplace(id, std::move(config));  // a totp.set or delete made meanwhile wins
        }
        vault_->synced = true;
        vault_->cursor = std::move(run.cursor);
        vault_->full_listing_at = unix_now();
        count = items_->size();
        publish_locked(items_, run.skipped);
    }
    save_written(true);  // the copy, now that the listing is complete
    log::info("passagent",
              "synced " + std::to_string(count) + " entries, skipped " + std::to_string(run.skipped));
    report_synced(progress, run.done, run.skipped, count, false);
    return count;
}

bool PassAgentBackend::reapply_changes_locked(ItemList& list, std::vector<EncryptedRecord>& records,
                                              std::unordered_map<std::string, TotpConfig>& totp) {
    if (!vault_) {
        return false;
    }
    vault_->listing = false;
    std::vector<LocalChange> changes = std::exchange(vault_->changes, {});
    // Few writes against many entries: a scan each (the id index is rebuilt after).
    const auto position = [&list](std::string_view id) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].id == id) {
                return i;
            }
        }
        return list.size();
    };
    for (LocalChange& change : changes) {
        const std::size_t at = position(change.id);
        switch (change.kind) {
            case LocalChange::Kind::Upsert:
                if (at < list.size() && at < records.size()) {
                    list[at] = std::move(change.summary);
                    records[at] = std::move(change.sealed);
                } else {
                    list.push_back(std::move(change.summary));
                    records.push_back(std::move(change.sealed));
                }
                break;
            case LocalChange::Kind::Remove:
                if (at < list.size() && at < records.size()) {
                    list.erase(list.begin() + static_cast<std::ptrdiff_t>(at));
                    records.erase(records.begin() + static_cast<std::ptrdiff_t>(at));
                }
                totp.erase(change.id);
                break;
            case LocalChange::Kind::Totp:
                if (at < list.size()) {
                    list[at].has_totp = change.totp && change.totp->has_totp;
                }
                totp.insert_or_assign(change.id, change.totp.value_or(TotpConfig{}));
                break;
        }
    }
    return !changes.empty();
}

// The own entries the last listings gave stay as they are; the new ones go after them,
// and the received shares (listed whole every time) replace the old ones.
Result<std::size_t> PassAgentBackend::finish_incremental(PassAgentApi& api, SyncRun& run,
                                                         const Progress& progress) {
    ItemList added;
    std::vector<EncryptedRecord> added_records;
    run.packed.unpack_into(added, added_records);
    std::unordered_map<std::string, TotpConfig> totp;
    if (auto fetched = prefetch_totp(api, totp_ids(added, added_records, options_.totp_prefetch_limit), totp);
        !fetched) {
        return std::unexpected(fetched.error());
    }
    std::size_t count = 0;
    std::shared_ptr<const ItemList> old_items;
    std::vector<EncryptedRecord> old_records;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != run.epoch || !vault_ || !unlocked_ || !items_) {
            return std::unexpected(locked_error());
        }
        const ItemList& before = *items_;
        auto list = std::make_shared<ItemList>();
        std::vector<EncryptedRecord> records;
        list->reserve(before.size() + added.size());
        records.reserve(before.size() + added.size());
        for (std::size_t i = 0; i < before.size() && i < vault_->records.size(); ++i) {
            if (vault_->records[i].kind() == RecordKind::Shared || before[i].share) {
                continue;
            }
            list->push_back(before[i]);
            records.push_back(std::move(vault_->records[i]));
        }
        for (std::size_t i = 0; i < added.size(); ++i) {
            list->push_back(std::move(added[i]));
            records.push_back(std::move(added_records[i]));
        }
        // The writes made meanwhile are in `before` already; applied again, they also
        // win over an entry this listing brought as it was before them.
        (void)reapply_changes_locked(*list, records, totp);
        vault_->by_id = index_by_id(*list, records);
        old_records = std::exchange(vault_->records, std::move(records));
        for (auto& [id, config] : totp) {
            vault_->totp.insert_or_assign(id, std::move(config));
        }
        if (!run.cursor.empty()) {
            vault_->cursor = run.cursor;
        }
        count = list->size();
        old_items = items_;
        publish_locked(std::move(list), skipped_);
    }
    old_records.clear();
    old_items.reset();
    save_written(true);
    log::info("passagent", "synced what is new: " + std::to_string(added.size()) + " entries listed, " +
                               std::to_string(count) + " in the vault");
    report_synced(progress, run.done, run.skipped, count, true);
    return count;
}

}  // namespace pah::passagent
