// SPDX-License-Identifier: MIT
// A sync: own records page by page, received shares, TOTP configurations, then one
// swap into the open vault if no lock or unlock came first.
#include "backends/passagent/backend.hpp"

#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"

namespace pah::passagent {

using nlohmann::json;

// What one run_sync has gathered so far.
struct PassAgentBackend::SyncRun {
    std::uint64_t epoch = 0;
    // Readable entries, packed page by page; unpacked into the new snapshot at the end.
    PackedEntries packed;
    std::size_t skipped = 0;
    std::size_t opened = 0;
    std::size_t done = 0;
    bool stale = false;
    SecretBuffer scratch;  // reused for every username opened
    std::string cursor;    // the last own record's id: where a listing would continue
    // Not empty: only the own records created after this id are listed (incremental).
    std::string from_cursor;
    // The vault never completed a sync: entries are shown as they arrive (show_taken).
    bool live = false;
    std::optional<std::chrono::steady_clock::time_point> shown_at;
};

namespace {

// How often a first sync shows what arrived (and pushes `items-changed`): a sync at a
// raised rate limit lists pages far faster than anyone reads them.
constexpr std::chrono::seconds kShowEvery{1};

}  // namespace

bool PassAgentBackend::take_batch(SyncRun& run, std::vector<ParsedRecord>& batch) {
    std::lock_guard lock(mu_);
    if (epoch_ != run.epoch || !vault_) {
        run.stale = true;
        return false;
    }
    std::optional<RsaPrivateKey> private_key;
    bool loaded = false;
    std::size_t readable = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        ParsedRecord& record = batch[i];
        if (record.sealed.kind() == RecordKind::Shared && !loaded) {
            private_key = vault_->private_key();
            loaded = true;
        }
        auto username = open_username(record, vault_->keys(private_key ? &*private_key : nullptr), run.scratch);
        if (!username) {
            ++run.skipped;
            log::info("passagent", "entry " + record.summary.id + " cannot be opened; skipped");
            continue;
        }
        record.summary.username = std::move(*username);
        if (readable != i) {
            batch[readable] = std::move(record);
        }
        ++readable;
    }
    batch.resize(readable);
    // Packed now that the page's JSON is gone; a live run's show_taken unpacks them into
    // the open vault, which then is the sync's snapshot (no second one).
    const std::size_t too_large = run.packed.add(batch);
    run.opened += readable - too_large;
    run.skipped += too_large;
    return true;
}

void PassAgentBackend::show_taken(SyncRun& run, bool now) {
    if (!run.live || run.packed.size() == 0) {
        return;
    }
    const auto at = std::chrono::steady_clock::now();
    if (!now && run.shown_at && at - *run.shown_at < kShowEvery) {
        return;
    }
    std::size_t count = 0;
    std::string account;
    std::shared_ptr<const ItemList> old_items;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != run.epoch || !vault_ || !unlocked_) {
            run.packed = PackedEntries();
            return;
        }
        // A new list (a match index may hold the old one); the records grow in place.
        auto list = std::make_shared<ItemList>();
        list->reserve((items_ ? items_->size() : 0) + run.packed.size());
        if (items_) {
            list->assign(items_->begin(), items_->end());
        }
        run.packed.unpack_into(*list, vault_->records);
        vault_->by_id = index_by_id(*list, vault_->records);
        count = list->size();
        old_items = std::exchange(items_, std::move(list));
        account = std::string(kind()) + ":" + user_ + "@" + server_;
    }
    run.shown_at = at;
    if (options_.push) {
        options_.push("items-changed", json{{"account", account}, {"items", count}});
    }
}

Result<void> PassAgentBackend::list_own(PassAgentApi& api, SyncRun& run, const Progress& progress) {
    const PageHandler on_page = [&](PasswordPage& page, const ListProgress& listed) -> bool {
        std::vector<ParsedRecord> batch;
        batch.reserve(page.records.size());
        for (auto& raw : page.records) {
            auto record = parse_record(raw);
            raw = nullptr;  // this record's JSON is not needed any more
            if (!record) {
                ++run.skipped;
                continue;
            }
            batch.push_back(std::move(*record));
        }
        run.skipped += page.skipped;
        if (!batch.empty()) {
            run.cursor = batch.back().summary.id;
        }
        page.records.clear();
        page.records.shrink_to_fit();
        if (!take_batch(run, batch)) {
            return false;
        }
        show_taken(run, false);
        run.done = listed.records;
        if (progress) {
            json data{{"done", run.done}, {"skipped", run.skipped}};
            if (listed.total) {
                data["total"] = *listed.total;
            }
            progress("sync", std::move(data));
        }
        return true;
    };
    RequestOptions background;
    background.background = true;
    // One listing loop for both styles: no cursor and no page lets the server's reply
    // decide (cursor paging on PassAgent); {.page = 1} asks for numbered pages.
    PageRequest first_page;
    if (!run.from_cursor.empty()) {
        first_page.cursor = run.from_cursor;
    } else if (options_.paging == PagingPreference::Page) {
        first_page.page = 1;
    }
    auto listed = api.list_passwords(on_page, background, std::move(first_page));
    if (!listed) {
        return std::unexpected(seen(listed.error()));
    }
    if (run.stale) {
        return std::unexpected(locked_error());
    }
    run.skipped += listed->skipped;
    return {};
}

// Received shares are readable like one's own entries (an own entry with the same id
// wins, see index_by_id). A listing that fails for another reason than the session is
// logged and left out.
Result<void> PassAgentBackend::list_received(PassAgentApi& api, SyncRun& run) {
    RequestOptions background;
    background.background = true;
    auto shares = api.list_shares("received", {}, background);
    if (!shares) {
        if (shares.error().code == ErrorCode::NotLoggedIn) {
            return std::unexpected(seen(shares.error()));
        }
        log::warn("passagent", "received shares could not be listed: " + shares.error().message);
        return {};
    }
    std::vector<ParsedRecord> batch;
    for (const auto& raw : shares->shares) {
        auto record = parse_received_share(raw);
        if (!record) {
            if (record.error().code != ErrorCode::Unsupported) {
                ++run.skipped;
            }
            continue;
        }
        batch.push_back(std::move(*record));
    }
    run.skipped += shares->skipped;
    shares->shares.clear();
    if (!take_batch(run, batch)) {
        return std::unexpected(locked_error());
    }
    return {};
}

namespace {

// The own entries with a TOTP whose configurations a sync fetches (at most `limit`).
std::vector<std::string> totp_ids(const ItemList& list, const std::vector<EncryptedRecord>& records,
                                  std::size_t limit) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size() && i < records.size() && out.size() < limit; ++i) {
        if (list[i].has_totp && records[i].kind() != RecordKind::Shared) {
            out.push_back(list[i].id);
        }
    }
    return out;
}

}  // namespace

// Entry TOTP configurations, so that codes need no network later.
Result<void> PassAgentBackend::prefetch_totp(PassAgentApi& api, const std::vector<std::string>& ids,
                                             std::unordered_map<std::string, TotpConfig>& out) {
    RequestOptions background;
    background.background = true;
    for (const std::string& id : ids) {
        auto config = api.totp_config(id, background);
        if (config) {
            out.emplace(id, std::move(*config));
        } else if (config.error().code == ErrorCode::NotLoggedIn) {
            return std::unexpected(seen(config.error()));
        }
    }
    return {};
}

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
    if (progress) {
        progress("sync", json{{"done", run.done},
                              {"items", count},
                              {"skipped", run.skipped},
                              {"complete", true},
                              {"incremental", false}});
    }
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

Result<std::size_t> PassAgentBackend::run_sync(std::uint64_t epoch, const Progress& progress, bool first) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    SyncRun run;
    run.epoch = epoch;
    // However the sync ends, writes stop being recorded for it (a completed one applied
    // them again over its snapshot already).
    struct StopRecording {
        PassAgentBackend& backend;
        std::uint64_t epoch;
        ~StopRecording() {
            std::lock_guard lock(backend.mu_);
            if (backend.epoch_ == epoch && backend.vault_) {
                backend.vault_->listing = false;
                backend.vault_->changes.clear();
            }
        }
    } stop_recording{*this, epoch};
    {
        std::lock_guard lock(mu_);
        sync_due_ = false;  // it runs now (syncing_ says so)
        if (epoch_ == epoch && vault_) {
            // From here on a write may reach the open vault before this sync's snapshot
            // (listed before it) replaces it: it is recorded and applied again then.
            vault_->listing = true;
            vault_->changes.clear();
        }
        run.live = epoch_ == epoch && vault_ && unlocked_ && !vault_->synced;
        // Only what is new, while the last full listing is recent enough (see
        // BackendOptions::full_listing_every).
        if (!first && !run.live && vault_ && !vault_->cursor.empty() &&
            options_.paging != PagingPreference::Page &&
            unix_now() - vault_->full_listing_at < options_.full_listing_every.count()) {
            run.from_cursor = vault_->cursor;
        }
    }
    auto own = list_own(**api, run, progress);
    if (!own && !run.from_cursor.empty() &&
        (own.error().code == ErrorCode::Validation || own.error().code == ErrorCode::BadFormat)) {
        // A server that does not know the cursor (or answers it oddly): list everything.
        log::info("passagent", "the listing did not continue from the saved cursor; listing everything");
        SyncRun full;
        full.epoch = epoch;
        run = std::move(full);
        own = list_own(**api, run, progress);
    }
    if (!own) {
        show_taken(run, true);  // what arrived stays; the next sync lists again
        return std::unexpected(own.error());
    }
    if (auto received = list_received(**api, run); !received) {
        show_taken(run, true);
        return std::unexpected(received.error());
    }
    show_taken(run, true);  // the last pages show while TOTP configurations are fetched
    if (!run.from_cursor.empty()) {
        return finish_incremental(**api, run, progress);
    }
    if (run.live) {
        return finish_live(**api, run, progress);
    }
    // No verifier and no key pair decided the master password: entries that all fail to
    // open mean a wrong one.
    if (first && run.opened == 0 && run.skipped > 0) {
        return std::unexpected(wrong_master_password());
    }
    // The snapshot, made in one go now that the pages' JSON is gone (see PackedEntries).
    auto list = std::make_shared<ItemList>();
    std::vector<EncryptedRecord> records;
    run.packed.unpack_into(*list, records);
    std::vector<std::uint32_t> by_id = index_by_id(*list, records);
    std::unordered_map<std::string, TotpConfig> totp;
    if (auto fetched = prefetch_totp(**api, totp_ids(*list, records, options_.totp_prefetch_limit), totp);
        !fetched) {
        return std::unexpected(fetched.error());
    }

    const std::int64_t listed_at = unix_now();
    save_copy(*list, records, totp, run.cursor, listed_at);

    std::size_t count = 0;
    bool rewritten = false;
    std::shared_ptr<const ItemList> old_items;
    std::vector<EncryptedRecord> old_records;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        // Writes made while this sync listed win over what it listed before them.
        rewritten = reapply_changes_locked(*list, records, totp);
        if (rewritten) {
            by_id = index_by_id(*list, records);
        }
        count = list->size();
        old_items = items_;
        old_records = std::exchange(vault_->records, std::move(records));
        vault_->by_id = std::move(by_id);
        vault_->totp = std::move(totp);
        vault_->synced = true;
        vault_->cursor = std::move(run.cursor);
        vault_->full_listing_at = listed_at;
        publish_locked(std::move(list), run.skipped);
    }
    // The previous snapshot is freed here, outside the lock (unless a match index still
    // shares its item list: then when that index is replaced).
    old_records.clear();
    old_items.reset();
    if (rewritten) {
        request_copy_save();  // the copy written above was the listing's, without them
    }
    log::info("passagent", "synced " + std::to_string(count) + " entries, skipped " + std::to_string(run.skipped));
    if (progress) {
        progress("sync", json{{"done", run.done},
                              {"items", count},
                              {"skipped", run.skipped},
                              {"complete", true},
                              {"incremental", false}});
    }
    return count;
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
    if (progress) {
        progress("sync", json{{"done", run.done},
                              {"items", count},
                              {"skipped", run.skipped},
                              {"complete", true},
                              {"incremental", true}});
    }
    return count;
}

Result<std::size_t> PassAgentBackend::sync(const Progress& progress) {
    if (auto resumed = resume_remembered(); !resumed) {
        return std::unexpected(resumed.error());
    }
    return SessionBackend::sync(progress);
}

}  // namespace pah::passagent
