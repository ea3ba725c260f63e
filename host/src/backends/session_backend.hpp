// SPDX-License-Identifier: MIT
#pragma once

// The state of one sign-in with at most one open vault, shared by every backend
// (PassAgent, Passman, Passwork): logout, sync, items, info, skipped, a remembered
// sign-in (restored, resumed, forgotten), the end of a
// session the server refused, and the epoch that makes a lock during a sync win.
// Each backend keeps its own wording, API calls and vault secrets.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "backends/remembered.hpp"
#include "log/log.hpp"
#include "store/account_facts.hpp"

namespace pah {

using EventFn = std::function<void(std::string_view event, nlohmann::json data)>;

// Seconds since the Unix epoch: AccountInfo::last_sync.
std::int64_t unix_now();

// One sign-in (an `Api` client) and at most one open `Vault`, guarded by one mutex.
// The backend derives from it and adds its API calls, its vault's contents, lock() and
// run_sync().
template <class Api, class Vault>
class SessionBackend : public Backend {
public:
    // Locks, then drops the client (which wipes its credentials) after end_session() has told
    // the server; a remembered sign-in stops being kept current (session.logout erases it).
    Result<void> logout() override {
        lock();
        std::shared_ptr<Api> api;
        std::shared_ptr<RememberedSignIn> remembered;
        {
            std::lock_guard lock(mu_);
            api = std::move(api_);
            logged_in_ = false;
            restored_ = false;
            remembered = remembered_;
        }
        if (remembered) {
            remembered->end(false);
        }
        if (!api) {
            return {};
        }
        return end_session(*api);
    }

    Result<std::size_t> sync(const Progress& progress) override {
        std::uint64_t epoch = 0;
        {
            std::lock_guard lock(mu_);
            if (!logged_in_) {
                return std::unexpected(not_logged_in_);
            }
            if (!unlocked_) {
                return std::unexpected(locked_);
            }
            epoch = epoch_;
        }
        std::lock_guard sync_lock(sync_mu_);
        Syncing syncing(*this);
        return run_sync(epoch, progress, false);
    }

    [[nodiscard]] std::shared_ptr<const ItemList> items() const override {
        std::lock_guard lock(mu_);
        return unlocked_ ? items_ : nullptr;
    }

    [[nodiscard]] AccountInfo info() const override {
        std::lock_guard lock(mu_);
        AccountInfo out;
        out.user = user_;
        out.server = server_;
        out.logged_in = logged_in_;
        out.unlocked = unlocked_;
        out.items = unlocked_ && items_ ? items_->size() : 0;
        out.last_sync = last_sync_;
        out.syncing = syncing_;
        out.from_copy = unlocked_ && from_copy_;
        out.logged_in = logged_in_ || restored_;
        out.remembered = remembered_ && remembered_->active.load();
        return out;
    }

    // Entries the last sync could not open. For tests and status.
    [[nodiscard]] std::size_t skipped() const {
        std::lock_guard lock(mu_);
        return skipped_;
    }

protected:
    // `not_logged_in` and `locked` are the backend's NOT_LOGGED_IN and LOCKED errors.
    SessionBackend(Error not_logged_in, Error locked)
        : not_logged_in_(std::move(not_logged_in)), locked_(std::move(locked)) {}

    [[nodiscard]] Error not_logged_in() const { return not_logged_in_; }
    [[nodiscard]] Error locked_error() const { return locked_; }

    // Snapshot of the API client; NOT_LOGGED_IN without one.
    Result<std::shared_ptr<Api>> session() const {
        std::lock_guard lock(mu_);
        if (!api_ || !logged_in_) {
            return std::unexpected(not_logged_in_);
        }
        return api_;
    }

    void signed_in(const std::shared_ptr<Api>& api, std::string user) { signed_in(api, std::move(user), api->server()); }
    void signed_in(const std::shared_ptr<Api>& api, std::string user, std::string server) {
        {
            std::lock_guard lock(mu_);
            api_ = api;
            user_ = std::move(user);
            server_ = std::move(server);
            logged_in_ = true;
        }
        expired_pushed_ = false;
    }

    // logout(): the signed-out client, for a backend that revokes its session at the
    // server. The default leaves the session to expire there.
    virtual Result<void> end_session(Api& api) {
        (void)api;
        return {};
    }

    // Called with every API error: a refused login after sign-in ends the session, locks
    // the vault and pushes, once, `locked` (reason "logout", when the vault was open) and
    // then "session-expired", as protocol.md says; the error then says `message`.
    // A remembered sign-in is forgotten with it (what signed it in is refused too).
    Error seen(Error error, const EventFn& push, std::string_view log_line, std::string message) {
        if (error.code != ErrorCode::NotLoggedIn) {
            return error;
        }
        bool was_logged_in = false;
        bool was_unlocked = false;
        std::string account;
        {
            std::lock_guard lock(mu_);
            was_logged_in = logged_in_;
            was_unlocked = unlocked_;
            logged_in_ = false;
            account = std::string(kind()) + ":" + user_ + "@" + server_;
        }
        if (was_logged_in) {  // not a restored account that is yet to sign in again
            forget_remembered();
        }
        lock();
        if (was_logged_in && !expired_pushed_.exchange(true)) {
            log::warn(kind(), log_line);
            if (push) {
                if (was_unlocked) {
                    push("locked", nlohmann::json{{"account", account}, {"reason", "logout"}});
                }
                push("session-expired", nlohmann::json{{"account", account}, {"backend", kind()}});
            }
        }
        error.message = std::move(message);
        return error;
    }

    // ---- remembered sign-in (remembered.hpp), for a backend that overrides remember().
    // remember(): `remembered` keeps this sign-in from now on.
    void keep_sign_in(std::shared_ptr<RememberedSignIn> remembered) {
        std::lock_guard lock(mu_);
        remembered_ = std::move(remembered);
    }

    // restore(): the remembered account of `facts` is listed as signed in, and signs in
    // again (resume_sign_in) at its first unlock.
    Result<void> restore_sign_in(const store::AccountFacts& facts, const SignInStores& stores,
                                 std::string label) {
        auto remembered = restored_sign_in(stores, facts.account, std::move(label));
        if (!remembered) {
            return std::unexpected(remembered.error());
        }
        std::lock_guard lock(mu_);
        user_ = facts.user;
        server_ = facts.server;
        last_sync_ = facts.last_sync;
        restored_ = true;
        remembered_ = std::move(*remembered);
        return {};
    }

    // The stored secret and the account's remembered facts go (the session ended).
    void forget_remembered() noexcept {
        std::shared_ptr<RememberedSignIn> remembered;
        {
            std::lock_guard lock(mu_);
            restored_ = false;
            remembered = remembered_;
        }
        if (remembered) {
            remembered->end(true);
        }
    }

    // A restored account signs in again from its stored secret (nothing to do when it
    // is signed in): `connect(user, server, secret, remembered)` gives the signed-in
    // client, or NOT_LOGGED_IN with the message to show when the server refuses the
    // secret, which is then forgotten; any other error (the server cannot be reached)
    // leaves it for a later try. `name` names the password manager in messages.
    template <class Connect>
    Result<void> resume_sign_in(std::string_view name, Connect connect) {
        std::lock_guard resuming(resume_mu_);
        std::shared_ptr<RememberedSignIn> remembered;
        std::string user;
        std::string server;
        {
            std::lock_guard lock(mu_);
            if (logged_in_ || !restored_ || !remembered_) {
                return {};
            }
            remembered = remembered_;
            user = user_;
            server = server_;
        }
        const auto gone = [&](std::string message) -> Result<void> {
            remembered->end(true);
            {
                std::lock_guard lock(mu_);
                restored_ = false;
            }
            return fail(ErrorCode::NotLoggedIn, std::move(message));
        };
        auto secret = remembered->lookup();
        if (!secret) {
            return std::unexpected(secret.error());  // UNSUPPORTED: why the keyring did not answer
        }
        if (!secret->has_value()) {
            return gone("The remembered " + std::string(name) +
                        " sign-in is no longer in the keyring. Sign in again.");
        }
        Result<std::shared_ptr<Api>> api = connect(user, server, std::move(**secret), remembered);
        if (!api) {
            if (api.error().code == ErrorCode::NotLoggedIn) {
                log::info(kind(), "the remembered sign-in was refused by the server; forgotten");
                return gone(api.error().message);
            }
            return std::unexpected(api.error());
        }
        {
            std::lock_guard lock(mu_);
            restored_ = false;
        }
        signed_in(*api, user, server);
        log::info(kind(), "signed in again from the remembered sign-in");
        return {};
    }

    // Lists the open vault of `epoch` and swaps its entries in if `epoch` is still
    // current. `first`: unlock's sync, the last chance to refuse the key.
    virtual Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first) = 0;

    // unlock(): `vault` becomes the open vault and is synced; when that sync fails it is
    // dropped again (unless lock() or another unlock came first).
    Result<std::size_t> open_and_sync(std::unique_ptr<Vault> vault, const Progress& progress, bool first) {
        std::uint64_t epoch = 0;
        {
            std::lock_guard lock(mu_);
            epoch = ++epoch_;
            unlocked_ = false;
            vault_ = std::move(vault);
            items_.reset();
        }
        std::lock_guard sync_lock(sync_mu_);
        Syncing syncing(*this);
        auto count = run_sync(epoch, progress, first);
        if (!count) {
            std::unique_ptr<Vault> dropped;
            std::lock_guard lock(mu_);
            if (epoch_ == epoch) {
                ++epoch_;
                dropped = std::move(vault_);
                items_.reset();
            }
            return std::unexpected(count.error());
        }
        return count;
    }

    // unlock() from the local copy (or before a first sync in the background): `vault`
    // with `list` (its summaries) is the open vault at once, as of `last_sync` (none: never
    // synced); a sync() later brings it up to date.
    void open_now(std::unique_ptr<Vault> vault, std::shared_ptr<const ItemList> list, std::size_t skipped,
                  std::optional<std::int64_t> last_sync) {
        std::unique_ptr<Vault> old;
        std::shared_ptr<const ItemList> old_items;
        std::lock_guard lock(mu_);
        ++epoch_;
        old = std::exchange(vault_, std::move(vault));
        old_items = std::exchange(items_, std::move(list));
        skipped_ = skipped;
        last_sync_ = last_sync;
        unlocked_ = true;
        from_copy_ = true;
    }

    // lock(): `wipe` clears the vault's keys under the mutex; the rest is freed outside.
    template <class Wipe>
    void close_vault(Wipe wipe) noexcept {
        std::unique_ptr<Vault> dropped;
        std::shared_ptr<const ItemList> items;
        {
            std::lock_guard lock(mu_);
            ++epoch_;
            unlocked_ = false;
            if (vault_) {
                wipe(*vault_);
            }
            dropped = std::move(vault_);
            items = std::move(items_);
        }
    }

    // Under mu_: the open vault's record `id`; NOT_LOGGED_IN, LOCKED, or NOT_FOUND saying
    // `not_found` (field "id").
    template <class V = Vault>
    Result<const typename decltype(std::declval<V&>().records)::mapped_type*> find_record_locked(
        std::string_view id, std::string_view not_found) const {
        if (!logged_in_) {
            return std::unexpected(not_logged_in_);
        }
        if (!unlocked_ || !vault_) {
            return std::unexpected(locked_);
        }
        const auto it = vault_->records.find(std::string(id));
        if (it == vault_->records.end()) {
            return fail(ErrorCode::NotFound, std::string(not_found), {{"field", "id"}});
        }
        return &it->second;
    }

    // Under mu_, at the end of a sync of the current epoch: the vault is open.
    void publish_locked(std::shared_ptr<const ItemList> list, std::size_t skipped) {
        items_ = std::move(list);
        skipped_ = skipped;
        last_sync_ = unix_now();
        unlocked_ = true;
        from_copy_ = false;
    }

    mutable std::mutex mu_;
    std::shared_ptr<Api> api_;
    std::string user_;
    std::string server_;
    bool logged_in_ = false;
    std::uint64_t epoch_ = 0;  // bumped by every unlock and lock: a sync of an old epoch is dropped
    bool unlocked_ = false;
    std::unique_ptr<Vault> vault_;
    std::shared_ptr<const ItemList> items_;
    std::size_t skipped_ = 0;
    std::optional<std::int64_t> last_sync_;

    bool syncing_ = false;    // under mu_: a sync is running
    bool from_copy_ = false;  // under mu_: the open vault had no sync yet (the local copy, a first sync due)

    std::shared_ptr<RememberedSignIn> remembered_;  // under mu_; null: not remembered
    bool restored_ = false;                         // under mu_: a remembered account not signed in again yet

    std::mutex sync_mu_;    // one sync at a time (never held by lock())
    std::mutex resume_mu_;  // one resume at a time (PassAgent: a refresh token is single-use)
    std::atomic<bool> expired_pushed_{false};

private:
    // syncing_ for as long as a sync runs.
    struct Syncing {
        explicit Syncing(SessionBackend& backend) : backend_(backend) { set(true); }
        ~Syncing() { set(false); }
        Syncing(const Syncing&) = delete;
        Syncing& operator=(const Syncing&) = delete;
        void set(bool on) {
            std::lock_guard lock(backend_.mu_);
            backend_.syncing_ = on;
        }
        SessionBackend& backend_;
    };

    Error not_logged_in_;
    Error locked_;
};

}  // namespace pah
