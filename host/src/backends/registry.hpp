// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/accounts.hpp"

namespace pah {

// Where a backend sends pushes that no request asked for ("session-expired").
using BackendPush = std::function<void(std::string_view event, nlohmann::json data)>;

// Registers every backend this build has (passagent, passman, passwork).
void register_backends(AccountManager& accounts, BackendPush push = {});

}  // namespace pah
