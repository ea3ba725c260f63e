// SPDX-License-Identifier: MIT
#include "backends/remembered.hpp"

#include <utility>

#include "log/log.hpp"
#include "store/account_facts.hpp"
#include "store/secret_store.hpp"

namespace pah {

namespace {

Error no_stores() { return {ErrorCode::Unsupported, "This host keeps no remembered sign-ins."}; }

}  // namespace

RememberedSignIn::RememberedSignIn(SignInStores stores_in, std::string account_in, std::string label_in,
                                   std::uint64_t generation)
    : active(true),
      stores(std::move(stores_in)),
      account(std::move(account_in)),
      label(std::move(label_in)),
      stored_generation(generation) {}

void RememberedSignIn::keep(const SecretBuffer& secret, std::uint64_t generation) {
    std::lock_guard lock(mu);
    if (!active || generation <= stored_generation) {
        return;
    }
    if (auto stored = stores.secrets->store(account, label, secret); !stored) {
        log::warn("session", "the new sign-in secret was not stored: " + stored.error().message);
        return;
    }
    stored_generation = generation;
}

void RememberedSignIn::end(bool erase) noexcept {
    std::lock_guard lock(mu);
    if (active.exchange(false) && erase) {
        forget_sign_in(stores, account);
    }
}

void forget_sign_in(const SignInStores& stores, std::string_view account) noexcept {
    if (auto cleared = stores.secrets->clear(account); !cleared) {
        log::warn("session", "the remembered sign-in was not removed from the Secret Service: " +
                                 cleared.error().message);
    }
    if (auto forgot = stores.facts->forget_sign_in(account); !forgot) {
        log::warn("session", "the account facts were not updated: " + forgot.error().message);
    }
}

Result<std::optional<SecretBuffer>> RememberedSignIn::lookup() {
    std::lock_guard lock(mu);
    return stores.secrets->lookup(account);
}

Result<std::shared_ptr<RememberedSignIn>> remember_sign_in(const SignInStores& stores,
                                                           const store::AccountFacts& facts,
                                                           std::string label, const SecretBuffer& secret,
                                                           std::uint64_t generation) {
    if (!stores.secrets || !stores.facts) {
        return std::unexpected(no_stores());
    }
    if (auto stored = stores.secrets->store(facts.account, label, secret); !stored) {
        return std::unexpected(stored.error());
    }
    if (auto put = stores.facts->put(facts); !put) {
        (void)stores.secrets->clear(facts.account);
        return std::unexpected(put.error());
    }
    return std::make_shared<RememberedSignIn>(stores, facts.account, std::move(label), generation);
}

Result<std::shared_ptr<RememberedSignIn>> restored_sign_in(const SignInStores& stores, std::string account,
                                                           std::string label) {
    if (!stores.secrets || !stores.facts) {
        return std::unexpected(no_stores());
    }
    return std::make_shared<RememberedSignIn>(stores, std::move(account), std::move(label));
}

}  // namespace pah
