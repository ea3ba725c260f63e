// SPDX-License-Identifier: MIT
#pragma once

#include "app/accounts.hpp"

namespace pah {

// Registers every backend this build has (passagent, passman, passwork).
void register_backends(AccountManager& accounts);

}  // namespace pah
