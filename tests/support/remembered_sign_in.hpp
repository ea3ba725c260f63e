// SPDX-License-Identifier: MIT
#pragma once

// What the remembered sign-in tests of every backend check (tests/integration/*_remember_test.cpp):
// the secret in the Secret Service the test runs with, and the files the host wrote.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "store/secret_store.hpp"
#include "support/process.hpp"

namespace pah::testing {

// The secret stored for `account`; nothing when none is.
inline std::optional<std::string> stored_secret(const std::string& account) {
    auto secret = pah::store::make_libsecret_store()->lookup(account);
    REQUIRE(secret);
    if (!secret->has_value()) {
        return std::nullopt;
    }
    return std::string((*secret)->view());
}

inline bool stored(const std::string& account) { return stored_secret(account).has_value(); }

// Every file the host wrote in its state dir, concatenated.
inline std::string state_files(const TempDir& state) {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(state.path())) {
        if (entry.is_regular_file()) {
            std::ifstream in(entry.path(), std::ios::binary);
            all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    return all;
}

}  // namespace pah::testing
