// SPDX-License-Identifier: MIT
#pragma once

#include "app/services.hpp"
#include "protocol/dispatcher.hpp"

namespace pah::actions {

// One function per action family; register_all adds every one of them.
void register_hello(Dispatcher& dispatcher, Services& services);
void register_session(Dispatcher& dispatcher, Services& services);
void register_vault(Dispatcher& dispatcher, Services& services);
void register_credentials(Dispatcher& dispatcher, Services& services);
void register_credentials_list(Dispatcher& dispatcher, Services& services);
void register_credentials_write(Dispatcher& dispatcher, Services& services);
void register_totp(Dispatcher& dispatcher, Services& services);
void register_share_views(Dispatcher& dispatcher, Services& services);
void register_forwarded(Dispatcher& dispatcher, Services& services);
void register_passwords(Dispatcher& dispatcher, Services& services);
// Test builds only (PAH_TEST_HOOKS): test.memoryScan. Adds nothing in a release build.
void register_test_hooks(Dispatcher& dispatcher, Services& services);

void register_all(Dispatcher& dispatcher, Services& services);

}  // namespace pah::actions
