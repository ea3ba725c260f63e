// SPDX-License-Identifier: MIT
// Remembered sign-in (docs/local-store.md): the Nextcloud password (or app password) the
// sign-in was given, in the desktop's Secret Service; the account in the state dir's
// facts. A later host signs in again with it at the first unlock; a password Nextcloud
// refuses then, or later, is forgotten (SessionBackend::seen).
#include <utility>

#include "backends/passman/backend.hpp"
#include "backends/remembered.hpp"
#include "store/account_facts.hpp"

namespace pah::passman {

namespace {

std::string label(std::string_view user, std::string_view server) {
    return "Passman sign-in (" + std::string(user) + " at " + std::string(server) + ")";
}

}  // namespace

Result<void> PassmanBackend::remember(const SignInStores& stores, const std::string& account) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    const AccountInfo now = info();
    const SecretBuffer password = (*api)->password_copy();
    if (password.empty()) {
        return std::unexpected(not_logged_in());
    }
    const store::AccountFacts facts{account, "passman", now.server, now.user, true, nullptr, now.last_sync};
    auto remembered = remember_sign_in(stores, facts, label(now.user, now.server), password);
    if (!remembered) {
        return std::unexpected(remembered.error());
    }
    keep_sign_in(std::move(*remembered));
    return {};
}

Result<void> PassmanBackend::restore(const store::AccountFacts& facts, const SignInStores& stores) {
    return restore_sign_in(facts, stores, label(facts.user, facts.server));
}

// Basic auth opens no session: the client is made from the stored password and proves
// itself with the unlock's first request (a refusal there ends it, through seen()).
Result<void> PassmanBackend::resume_remembered() {
    return resume_sign_in(
        "Passman",
        [this](const std::string& user, const std::string& server, SecretBuffer password,
               const std::shared_ptr<RememberedSignIn>&) -> Result<std::shared_ptr<PassmanApi>> {
            auto created = PassmanApi::create(server, user, password.view(), options_.http);
            password.reset();
            if (!created) {
                return std::unexpected(created.error());
            }
            return std::shared_ptr<PassmanApi>(std::move(*created));
        });
}

}  // namespace pah::passman
