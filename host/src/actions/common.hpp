// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/services.hpp"
#include "backends/backend.hpp"
#include "protocol/dispatcher.hpp"

namespace pah::actions {

// The resolved account's unlocked item list: NOT_LOGGED_IN / LOCKED otherwise.
struct UnlockedAccount {
    AccountRef ref;
    std::shared_ptr<const ItemList> items;
};
Result<UnlockedAccount> unlocked_account(Services& services, const nlohmann::json& params);

// params.id's entry in the resolved, unlocked account (BAD_REQUEST, NOT_LOGGED_IN,
// LOCKED or NOT_FOUND otherwise). `item` points into `account.items`.
struct UnlockedEntry {
    UnlockedAccount account;
    const ItemSummary* item = nullptr;
};
Result<UnlockedEntry> unlocked_entry(Services& services, const nlohmann::json& params);

// The account params.account names, else every signed-in account (NOT_LOGGED_IN when
// there is none).
Result<std::vector<AccountRef>> accounts_in_scope(Services& services, const nlohmann::json& params);

// The entry with this id in the list, or NOT_FOUND.
Result<const ItemSummary*> find_item(const ItemList& items, const std::string& id);

// Backend progress forwarded as this request's progress events.
Progress progress_of(RequestContext& ctx);

}  // namespace pah::actions
