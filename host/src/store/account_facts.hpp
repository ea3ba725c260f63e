// SPDX-License-Identifier: MIT
#pragma once

// What the host remembers about an account between runs, none of it secret: which
// backend and server, which user, whether its sign-in is remembered (the secret itself
// is in the desktop's Secret Service, see secret_store.hpp), the KDF parameters last
// used and when it last synced. One JSON file, <state_dir>/accounts.json (0600, dir
// 0700), replaced whole on every change.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"

namespace pah::store {

struct AccountFacts {
    std::string account;  // the host's account id
    std::string backend;  // "passagent" | "passman" | "passwork"
    std::string server;   // origin
    std::string user;     // email or user name as the user typed it
    bool remembered = false;
    nlohmann::json kdf = nullptr;  // e.g. {algorithm, memoryKiB, iterations, parallelism}; null if none
    std::optional<std::int64_t> last_sync;  // Unix seconds

    bool operator==(const AccountFacts&) const = default;
};

// Bounds of accounts.json, enforced while it is read.
inline constexpr std::size_t kMaxFactsFileBytes = 1 << 20;
inline constexpr std::size_t kMaxAccounts = 256;
inline constexpr std::size_t kMaxFactString = 2048;
inline constexpr std::size_t kMaxFactsDepth = 4;

// The accounts in `text` (accounts.json's content). BAD_FORMAT, saying what is wrong,
// for anything that is not exactly the shape below; nothing is half-read.
//   {"version": 1, "accounts": [{"account", "backend", "server", "user", "remembered",
//                                "kdf"?, "lastSync"?}]}
Result<std::vector<AccountFacts>> parse_account_facts(std::string_view text);
std::string serialize_account_facts(const std::vector<AccountFacts>& accounts);

// Thread-safe, also across stores of the same file (one process-wide lock).
class AccountFactsStore {
public:
    explicit AccountFactsStore(const std::filesystem::path& state_dir);

    // Every account on disk; none when the file does not exist. A damaged file is
    // BAD_FORMAT (and left as it is, for a person to look at).
    [[nodiscard]] Result<std::vector<AccountFacts>> load() const;
    // Adds `facts` or replaces the account of the same id; a null `kdf` or an unset
    // `last_sync` keeps what the account had (only put_kdf changes the KDF on record).
    Result<void> put(const AccountFacts& facts);
    // Forgets the account (no error when it was not there).
    Result<void> erase(std::string_view account);
    // The account's sign-in is no longer remembered (sign-out, a refused refresh). One
    // that has KDF parameters on record stays, marked not remembered, so that its KDF
    // floor outlives the sign-out; any other is erased.
    Result<void> forget_sign_in(std::string_view account);

    // The KDF parameters this account last unlocked with; null when none are known.
    [[nodiscard]] Result<nlohmann::json> kdf(std::string_view account) const;
    // Sets only the account's "kdf" (its other facts stay as they are); adds `facts`
    // with it when the account is not on disk yet.
    Result<void> put_kdf(const AccountFacts& facts, const nlohmann::json& kdf);

    // Sets only the account's "lastSync"; nothing when the account is not on disk.
    Result<void> put_last_sync(std::string_view account, std::int64_t when);

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    [[nodiscard]] Result<std::vector<AccountFacts>> load_locked() const;
    Result<void> put_locked(const AccountFacts& facts);

    std::filesystem::path path_;
};

}  // namespace pah::store
