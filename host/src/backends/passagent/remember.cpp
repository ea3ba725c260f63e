// SPDX-License-Identifier: MIT
// Remembered sign-in (docs/local-store.md): the refresh token in the desktop's Secret
// Service, replaced after every refresh (a refresh token is single-use), the account in
// the state dir's facts; a later host signs in again with it at the first unlock.
#include <atomic>
#include <utility>

#include "backends/passagent/backend.hpp"
#include "log/log.hpp"
#include "store/account_facts.hpp"
#include "store/secret_store.hpp"
#include "store/vault_copy.hpp"

namespace pah::passagent {

using nlohmann::json;

// Shared by the backend and its API's refresh-token sink, which may outlive a request.
struct RememberedSignIn {
    std::mutex mu;  // held across a Secret Service call: never taken by info()
    std::atomic<bool> active{false};
    SignInStores stores;
    std::string account;
    std::uint64_t stored_generation = 0;  // of the token in the Secret Service

    static std::string label(std::string_view user) {
        return "PassAgent sign-in (" + std::string(user) + ")";
    }

    // A new refresh token (sign-in or refresh) replaces the stored one.
    void keep(const SecretBuffer& token, std::uint64_t generation, std::string_view user) {
        std::lock_guard lock(mu);
        if (!active || generation <= stored_generation) {
            return;
        }
        if (auto stored = stores.secrets->store(account, label(user), token); !stored) {
            log::warn("passagent", "the new refresh token was not stored: " + stored.error().message);
            return;
        }
        stored_generation = generation;
    }

    // The sign-in is not remembered any more; with `erase`, the stored secret and the
    // account's facts go too.
    void end(bool erase) noexcept {
        std::lock_guard lock(mu);
        if (!active.exchange(false)) {
            return;
        }
        if (!erase) {
            return;
        }
        if (auto cleared = stores.secrets->clear(account); !cleared) {
            log::warn("passagent", "the remembered sign-in was not removed: " + cleared.error().message);
        }
        if (auto erased = stores.facts->erase(account); !erased) {
            log::warn("passagent", "the account facts were not updated: " + erased.error().message);
        }
    }
};

namespace {

void watch_refresh_tokens(PassAgentApi& api, const std::shared_ptr<RememberedSignIn>& remembered,
                          std::string user) {
    api.set_refresh_token_sink([weak = std::weak_ptr(remembered), who = std::move(user)](
                                   const SecretBuffer& token, std::uint64_t generation) {
        if (auto kept = weak.lock()) {
            kept->keep(token, generation, who);
        }
    });
}

}  // namespace

Result<void> PassAgentBackend::remember(const SignInStores& stores, const std::string& account) {
    if (!stores.secrets || !stores.facts) {
        return fail(ErrorCode::Unsupported, "This host keeps no remembered sign-ins.");
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    const AccountInfo now = SessionBackend::info();
    std::uint64_t generation = 0;
    SecretBuffer token = (*api)->refresh_token_copy(generation);
    if (token.empty()) {
        return std::unexpected(not_logged_in());
    }
    if (auto stored = stores.secrets->store(account, RememberedSignIn::label(now.user), token); !stored) {
        return std::unexpected(stored.error());
    }
    store::AccountFacts facts{account, "passagent", now.server, now.user, true, nullptr, now.last_sync};
    if (auto put = stores.facts->put(facts); !put) {
        (void)stores.secrets->clear(account);
        return std::unexpected(put.error());
    }
    auto remembered = std::make_shared<RememberedSignIn>();
    remembered->active = true;
    remembered->stores = stores;
    remembered->account = account;
    remembered->stored_generation = generation;
    watch_refresh_tokens(**api, remembered, now.user);
    std::lock_guard lock(mu_);
    remembered_ = std::move(remembered);
    return {};
}

Result<void> PassAgentBackend::restore(const store::AccountFacts& facts, const SignInStores& stores) {
    if (!stores.secrets || !stores.facts) {
        return fail(ErrorCode::Unsupported, "This host keeps no remembered sign-ins.");
    }
    auto remembered = std::make_shared<RememberedSignIn>();
    remembered->active = true;
    remembered->stores = stores;
    remembered->account = facts.account;
    std::lock_guard lock(mu_);
    user_ = facts.user;
    server_ = facts.server;
    last_sync_ = facts.last_sync;
    restored_ = true;
    remembered_ = std::move(remembered);
    return {};
}

AccountInfo PassAgentBackend::info() const {
    AccountInfo out = SessionBackend::info();
    std::shared_ptr<RememberedSignIn> remembered;
    {
        std::lock_guard lock(mu_);
        out.logged_in = out.logged_in || restored_;
        out.syncing = out.syncing || (out.unlocked && sync_due_);
        remembered = remembered_;
    }
    out.remembered = remembered && remembered->active.load();
    return out;
}

Result<void> PassAgentBackend::logout() {
    std::shared_ptr<RememberedSignIn> remembered;
    {
        std::lock_guard lock(mu_);
        restored_ = false;
        remembered = remembered_;
    }
    if (remembered) {
        remembered->end(false);  // no token stored from here on; session.logout erases
    }
    const std::string account = account_id(kind(), SessionBackend::info());
    auto out = SessionBackend::logout();
    // Signed out: the local copy of the vault goes too (a lock keeps it).
    if (!options_.state_dir.empty()) {
        if (auto removed = store::VaultCopyStore(options_.state_dir).remove(account); !removed) {
            log::warn("passagent", "the local copy of the vault was not removed: " + removed.error().message);
        }
    }
    return out;
}

void PassAgentBackend::forget_remembered() noexcept {
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

Result<void> PassAgentBackend::resume_remembered() {
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
    SignInStores stores;
    std::string account;
    {
        std::lock_guard lock(remembered->mu);
        stores = remembered->stores;
        account = remembered->account;
    }
    auto secret = stores.secrets->lookup(account);
    if (!secret) {
        return std::unexpected(secret.error());  // UNSUPPORTED: why the keyring did not answer
    }
    if (!secret->has_value()) {
        return gone("The remembered PassAgent sign-in is no longer in the keyring. Sign in again.");
    }
    auto config = read_api_config(json{{"server", server}}, options_);
    if (!config) {
        return std::unexpected(config.error());
    }
    config->pacer = pacer_for(server);
    auto created = PassAgentApi::create(std::move(*config));
    if (!created) {
        return std::unexpected(created.error());
    }
    std::shared_ptr<PassAgentApi> api = std::move(*created);
    watch_refresh_tokens(*api, remembered, user);
    if (auto resumed = api->resume(user, std::move(**secret)); !resumed) {
        if (resumed.error().code == ErrorCode::NotLoggedIn) {
            log::info("passagent", "the remembered sign-in was refused by the server; forgotten");
            return gone("Your remembered PassAgent sign-in has ended. Sign in again.");
        }
        return resumed;
    }
    {
        std::lock_guard lock(mu_);
        restored_ = false;
    }
    signed_in(api, user, server);
    log::info("passagent", "signed in again from the remembered sign-in");
    return {};
}

}  // namespace pah::passagent
