// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"

namespace pah::actions {

// protocol.md's Summary: a Match without score, plus updatedAt. Never a password.
nlohmann::json summary_json(const std::string& account, const ItemSummary& item);

// A received share as Match, Summary and credentials.get name it: {id, permission,
// sharedBy?} (sharedBy: the owner's email, when the server named it).
nlohmann::json share_json(const ShareRef& share);

}  // namespace pah::actions
