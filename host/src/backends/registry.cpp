// SPDX-License-Identifier: MIT
#include "backends/registry.hpp"

namespace pah {

void register_backends(AccountManager& accounts) {
    // The concrete backends register here as they land.
    (void)accounts;
}

}  // namespace pah
