// SPDX-License-Identifier: MIT
#pragma once

// A remembered sign-in (docs/local-store.md), for any backend that can sign in again
// from one stored secret (PassAgent: its refresh token; Passman: the Nextcloud
// password): the secret in the desktop's Secret Service, the account's facts (not
// secret) in the state dir.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "backends/backend.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// Shared by a backend and whatever may hand it a new secret later (PassAgent's API
// client after a refresh), which may outlive a request.
struct RememberedSignIn {
    std::mutex mu;  // held across a Secret Service call: never taken by info()
    std::atomic<bool> active{false};
    SignInStores stores;
    std::string account;
    std::string label;                    // what a keyring manager shows
    std::uint64_t stored_generation = 0;  // of the secret in the Secret Service

    RememberedSignIn(SignInStores stores_in, std::string account_in, std::string label_in,
                     std::uint64_t generation = 0);

    // A newer secret (`generation` above the stored one) replaces the stored one.
    void keep(const SecretBuffer& secret, std::uint64_t generation);
    // The sign-in is not remembered any more; with `erase`, the stored secret goes and
    // the facts say so (store::AccountFactsStore::forget_sign_in).
    void end(bool erase) noexcept;
    // The stored secret: nothing when the keyring holds none; UNSUPPORTED when no
    // Secret Service answered.
    Result<std::optional<SecretBuffer>> lookup();
};

// Stores `secret` for `facts.account` and writes the facts (remembered); neither is left
// behind when the other fails. UNSUPPORTED when this host keeps no remembered sign-ins.
Result<std::shared_ptr<RememberedSignIn>> remember_sign_in(const SignInStores& stores,
                                                           const store::AccountFacts& facts,
                                                           std::string label, const SecretBuffer& secret,
                                                           std::uint64_t generation = 0);

// The account's remembered sign-in ends: its secret leaves the Secret Service and its
// facts say so (store::AccountFactsStore::forget_sign_in); failures are logged.
void forget_sign_in(const SignInStores& stores, std::string_view account) noexcept;

// A remembered account of an earlier run, before it has signed in again.
Result<std::shared_ptr<RememberedSignIn>> restored_sign_in(const SignInStores& stores, std::string account,
                                                           std::string label);

}  // namespace pah
