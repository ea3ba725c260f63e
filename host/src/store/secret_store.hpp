// SPDX-License-Identifier: MIT
#pragma once

// Remembered sign-in secrets (PassAgent's refresh token, the Nextcloud password Passman
// was given) kept in the desktop's Secret Service (GNOME Keyring, KWallet, KeePassXC),
// one per account id, never in a file of ours.

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::store {

class SecretStore {
public:
    virtual ~SecretStore() = default;

    // Stores (or replaces) the account's secret. `label` is what a keyring manager shows.
    virtual Result<void> store(std::string_view account, std::string_view label, const SecretBuffer& secret) = 0;
    // The account's secret, or nothing when none is stored.
    virtual Result<std::optional<SecretBuffer>> lookup(std::string_view account) = 0;
    // Removes the account's secret; none stored is not an error.
    virtual Result<void> clear(std::string_view account) = 0;
    // Whether a Secret Service answers: nothing, or UNSUPPORTED saying why not.
    virtual Result<void> probe() = 0;
};

// The Secret Service through libsecret (libsecret-1.so.0), loaded with dlopen on the
// first call, so that a start of the host that never needs it does not map it. Every
// error is UNSUPPORTED with a message that says why: libsecret is not installed, there
// is no D-Bus session bus, no Secret Service answered within `timeout` (the D-Bus wait is
// bounded: a keyring that shows an unlock prompt nobody answers does not hang a request),
// or the service refused.
std::unique_ptr<SecretStore> make_libsecret_store(std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Whether libsecret has been loaded into this process (for the cold-start test).
bool libsecret_loaded() noexcept;

}  // namespace pah::store
