// SPDX-License-Identifier: MIT
#include "actions/actions.hpp"

namespace pah::actions {

void register_all(Dispatcher& dispatcher, Services& services) {
    register_hello(dispatcher, services);
    register_session(dispatcher, services);
    register_vault(dispatcher, services);
    register_credentials(dispatcher, services);
    register_credentials_list(dispatcher, services);
    register_credentials_write(dispatcher, services);
    register_totp(dispatcher, services);
    register_share_views(dispatcher, services);
    register_forwarded(dispatcher, services);
    register_passwords(dispatcher, services);
    register_test_hooks(dispatcher, services);
}

}  // namespace pah::actions
