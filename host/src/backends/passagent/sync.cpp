// SPDX-License-Identifier: MIT
// A sync: own records page by page, received shares, TOTP configurations, then one
// swap into the open vault if no lock or unlock came first (sync_finish.cpp ends a live
// first sync and an incremental one).
#include "backends/passagent/backend.hpp"

#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/sync_run.hpp"
#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"

namespace pah::passagent {

using nlohmann::json;
using sync_detail::report_synced;
using sync_detail::totp_ids;

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
        auto username =
            open_username(record, vault_->keys(private_key ? &*private_key : nullptr), run.scratch);
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
    log::info("passagent",
              "synced " + std::to_string(count) + " entries, skipped " + std::to_string(run.skipped));
    report_synced(progress, run.done, run.skipped, count, false);
    return count;
}

Result<std::size_t> PassAgentBackend::sync(const Progress& progress) {
    if (auto resumed = resume_remembered(); !resumed) {
        return std::unexpected(resumed.error());
    }
    return SessionBackend::sync(progress);
}

}  // namespace pah::passagent
