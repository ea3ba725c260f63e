// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "app/accounts.hpp"
#include "app/auto_lock.hpp"
#include "app/match_cache.hpp"
#include "app/share_view_queue.hpp"
#include "app/share_view_retry.hpp"
#include "app/sync_timer.hpp"
#include "config/config.hpp"
#include "protocol/events.hpp"

namespace pah {

// What the actions share: built once in main (or by a test), passed by reference.
class Services {
public:
    explicit Services(Config config);
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;
    ~Services();

    [[nodiscard]] const Config& config() const noexcept { return config_; }
    AccountManager& accounts() noexcept { return accounts_; }
    AutoLock& auto_lock() noexcept { return auto_lock_; }
    MatchIndexCache& match_cache() noexcept { return match_cache_; }
    ShareViewQueue& share_views() noexcept { return share_views_; }
    ShareViewRetry& share_view_retry() noexcept { return share_view_retry_; }
    SyncTimer& sync_timer() noexcept { return sync_timer_; }
    // Remembered sign-ins: the Secret Service (libsecret, loaded on first use) and the
    // state dir's account facts.
    [[nodiscard]] const SignInStores& sign_in_stores() const noexcept { return sign_in_stores_; }
    // At start: every remembered account of the facts, signed out until its first
    // unlock signs it in again. Reads one small file; loads no library.
    void restore_remembered();
    // Whether the facts say `account`'s sign-in is remembered (false when unreadable).
    [[nodiscard]] bool remembered_in_facts(std::string_view account) const;
    // A remembered sign-in ends: the secret leaves the Secret Service, the account the
    // facts. Failures are logged.
    void forget_sign_in(std::string_view account);

    // Where pushes go; the message server sets itself here once it runs.
    void set_events(EventSink* sink) noexcept { events_.store(sink); }
    void push(std::string_view event, nlohmann::json data);
    // A push a backend sends on its own (`locked` and `session-expired` when its session
    // ended at the server): the account's match index goes and the idle timer follows
    // the vaults, then the push goes out.
    void backend_push(std::string_view event, nlohmann::json data);
    // After an unlock or a sync of `ref`: its match index for the new items (built now,
    // so that the first credentials.match does not pay for it), then the heap the old
    // snapshot and the sync's pages freed goes back to the system.
    void items_changed(const AccountRef& ref);

    // A sync of `account` nobody asked for (SyncTimer): its progress goes out as `sync`
    // pushes with the account, then `items-changed {account, items}` when the entries
    // changed. False when the account's vault is not open.
    bool background_sync(const std::string& account);

    // Locks every vault and tells the extension (`reason`: "idle", "user", "shutdown").
    void lock_all(std::string_view reason);
    // The idle timer: arm it while any vault is open.
    void vault_state_changed();

private:
    Config config_;
    AccountManager accounts_;
    MatchIndexCache match_cache_;
    ShareViewQueue share_views_;
    ShareViewRetry share_view_retry_;  // after share_views_: its thread stops first
    SignInStores sign_in_stores_;
    std::atomic<EventSink*> events_{nullptr};
    AutoLock auto_lock_;
    SyncTimer sync_timer_;  // last: its thread, which uses the rest, stops first
};

}  // namespace pah
