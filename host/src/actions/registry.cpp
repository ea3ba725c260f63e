// SPDX-License-Identifier: MIT
#include "actions/actions.hpp"

namespace pah::actions {

void register_all(Dispatcher& dispatcher, Services& services) {
    register_hello(dispatcher, services);
    register_session(dispatcher, services);
    register_vault(dispatcher, services);
}

}  // namespace pah::actions
