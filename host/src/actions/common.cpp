// SPDX-License-Identifier: MIT
#include "actions/common.hpp"

#include "protocol/params.hpp"

namespace pah::actions {

Result<UnlockedAccount> unlocked_account(Services& services, const nlohmann::json& params) {
    auto ref = services.accounts().resolve(params);
    if (!ref) {
        return std::unexpected(ref.error());
    }
    auto items = ref->backend->items();
    if (!items) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it with your master password.");
    }
    return UnlockedAccount{std::move(*ref), std::move(items)};
}

Result<std::vector<AccountRef>> accounts_in_scope(Services& services, const nlohmann::json& params) {
    if (params.contains("account")) {
        auto ref = services.accounts().resolve(params);
        if (!ref) {
            return std::unexpected(ref.error());
        }
        return std::vector<AccountRef>{std::move(*ref)};
    }
    auto accounts = services.accounts().all();
    if (accounts.empty()) {
        return fail(ErrorCode::NotLoggedIn, "You are not signed in. Sign in to your password manager first.");
    }
    return accounts;
}

Result<const ItemSummary*> find_item(const ItemList& items, const std::string& id) {
    for (const auto& item : items) {
        if (item.id == id) {
            return &item;
        }
    }
    return fail(ErrorCode::NotFound,
                "There is no entry with this id in the vault. Sync the vault if it was just added.",
                {{"field", "id"}});
}

Result<UnlockedEntry> unlocked_entry(Services& services, const nlohmann::json& params) {
    auto id = params::required_id(params, "id");
    if (!id) {
        return std::unexpected(id.error());
    }
    auto account = unlocked_account(services, params);
    if (!account) {
        return std::unexpected(account.error());
    }
    auto item = find_item(*account->items, *id);
    if (!item) {
        return std::unexpected(item.error());
    }
    return UnlockedEntry{std::move(*account), *item};
}

Progress progress_of(RequestContext& ctx) {
    return [&ctx](std::string_view event, nlohmann::json data) { ctx.progress(event, std::move(data)); };
}

}  // namespace pah::actions
