// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "app/services.hpp"

namespace pah::actions {

// Records that this user saw or copied a received share: kept on disk first, then sent.
// Returns true when it is still queued (the server could not be told yet).
bool record_share_view(Services& services, const AccountRef& account, const std::string& share_id,
                       const std::string& action);

// Sends what an earlier run (or an earlier failure) left queued for this account.
void flush_share_views(Services& services, const AccountRef& account);

}  // namespace pah::actions
