// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "config/config.hpp"

namespace pah {

struct AccountRef {
    std::string id;
    std::shared_ptr<Backend> backend;
};

// The logins this host holds, by account id ("passagent:alice@example.com@https://host").
class AccountManager {
public:
    using Factory = std::function<std::unique_ptr<Backend>(const Config&)>;

    void register_backend(std::string name, Factory factory);
    [[nodiscard]] std::vector<std::string> backend_names() const;
    Result<std::unique_ptr<Backend>> create(std::string_view backend, const Config& config) const;

    // Adds or replaces the login for `backend`'s account id; returns that id.
    std::string put(std::shared_ptr<Backend> backend);
    // params.account if given, else the only account. NOT_LOGGED_IN when there is none.
    Result<AccountRef> resolve(const nlohmann::json& params) const;
    std::shared_ptr<Backend> remove(std::string_view id);
    [[nodiscard]] std::vector<AccountRef> all() const;
    // Locks every unlocked account; returns the ids it locked.
    std::vector<std::string> lock_all() noexcept;

    static std::string account_id(const Backend& backend);
    // AccountState of protocol.md.
    static nlohmann::json state_json(const AccountRef& ref);

private:
    mutable std::mutex mu_;
    std::map<std::string, Factory, std::less<>> factories_;
    std::map<std::string, std::shared_ptr<Backend>, std::less<>> accounts_;
};

}  // namespace pah
