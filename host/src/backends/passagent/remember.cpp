// SPDX-License-Identifier: MIT
// Remembered sign-in (docs/local-store.md): the refresh token in the desktop's Secret
// Service, replaced after every refresh (a refresh token is single-use), the account in
// the state dir's facts; a later host signs in again with it at the first unlock. What
// every backend shares is SessionBackend's (restore, resume, forget).
#include <utility>

#include "backends/passagent/backend.hpp"
#include "backends/remembered.hpp"
#include "log/log.hpp"
#include "store/account_facts.hpp"
#include "store/vault_copy.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

std::string label(std::string_view user) { return "PassAgent sign-in (" + std::string(user) + ")"; }

// Every new refresh token (a refresh rotates it) replaces the stored one.
void watch_refresh_tokens(PassAgentApi& api, const std::shared_ptr<RememberedSignIn>& remembered) {
    api.set_refresh_token_sink(
        [weak = std::weak_ptr(remembered)](const SecretBuffer& token, std::uint64_t generation) {
            if (auto kept = weak.lock()) {
                kept->keep(token, generation);
            }
        });
}

}  // namespace

Result<void> PassAgentBackend::remember(const SignInStores& stores, const std::string& account) {
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
    const store::AccountFacts facts{account, "passagent", now.server, now.user, true, nullptr, now.last_sync};
    auto remembered = remember_sign_in(stores, facts, label(now.user), token, generation);
    if (!remembered) {
        return std::unexpected(remembered.error());
    }
    watch_refresh_tokens(**api, *remembered);
    keep_sign_in(std::move(*remembered));
    return {};
}

Result<void> PassAgentBackend::restore(const store::AccountFacts& facts, const SignInStores& stores) {
    return restore_sign_in(facts, stores, label(facts.user));
}

AccountInfo PassAgentBackend::info() const {
    AccountInfo out = SessionBackend::info();
    std::lock_guard lock(mu_);
    out.syncing = out.syncing || (out.unlocked && sync_due_);
    return out;
}

Result<void> PassAgentBackend::logout() {
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

Result<void> PassAgentBackend::resume_remembered() {
    return resume_sign_in(
        "PassAgent",
        [this](const std::string& user, const std::string& server, SecretBuffer token,
               const std::shared_ptr<RememberedSignIn>& remembered) -> Result<std::shared_ptr<PassAgentApi>> {
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
            watch_refresh_tokens(*api, remembered);
            if (auto resumed = api->resume(user, std::move(token)); !resumed) {
                if (resumed.error().code == ErrorCode::NotLoggedIn) {
                    return fail(ErrorCode::NotLoggedIn,
                                "Your remembered PassAgent sign-in has ended. Sign in again.");
                }
                return std::unexpected(resumed.error());
            }
            return api;
        });
}

}  // namespace pah::passagent
