// SPDX-License-Identifier: MIT
#include "app/accounts.hpp"

#include "protocol/params.hpp"

namespace pah {

using nlohmann::json;

void AccountManager::register_backend(std::string name, Factory factory) {
    std::lock_guard lock(mu_);
    factories_.insert_or_assign(std::move(name), std::move(factory));
}

std::vector<std::string> AccountManager::backend_names() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    out.reserve(factories_.size());
    for (const auto& entry : factories_) {
        out.push_back(entry.first);
    }
    return out;
}

Result<std::unique_ptr<Backend>> AccountManager::create(std::string_view backend,
                                                        const Config& config) const {
    Factory factory;
    {
        std::lock_guard lock(mu_);
        auto it = factories_.find(backend);
        if (it == factories_.end()) {
            std::string available;
            for (const auto& entry : factories_) {
                available += available.empty() ? "" : ", ";
                available += entry.first;
            }
            return fail(ErrorCode::Unsupported,
                        "This host has no \"" + std::string(backend) + "\" backend. Available: " +
                            (available.empty() ? std::string("none") : available) + ".",
                        {{"field", "backend"}});
        }
        factory = it->second;
    }
    return factory(config);
}

std::string AccountManager::account_id(const Backend& backend) {
    return pah::account_id(backend.kind(), backend.info());
}

std::string AccountManager::put(std::shared_ptr<Backend> backend) {
    std::string id = account_id(*backend);
    std::shared_ptr<Backend> old;
    {
        std::lock_guard lock(mu_);
        auto it = accounts_.find(id);
        if (it != accounts_.end()) {
            old = std::move(it->second);
            it->second = std::move(backend);
        } else {
            accounts_.emplace(id, std::move(backend));
        }
    }
    if (old) {
        old->lock();
    }
    return id;
}

Result<AccountRef> AccountManager::resolve(const json& params) const {
    auto wanted = params::optional_string(params, "account");
    if (!wanted) {
        return std::unexpected(wanted.error());
    }
    std::lock_guard lock(mu_);
    if (wanted->has_value()) {
        auto it = accounts_.find(**wanted);
        if (it == accounts_.end()) {
            return fail(ErrorCode::NotLoggedIn,
                        "There is no login for account \"" + **wanted + "\". Sign in first.",
                        {{"field", "account"}});
        }
        return AccountRef{it->first, it->second};
    }
    if (accounts_.empty()) {
        return fail(ErrorCode::NotLoggedIn, "You are not signed in. Sign in to your password "
                                            "manager first.");
    }
    if (accounts_.size() > 1) {
        return fail(ErrorCode::BadRequest,
                    "You are signed in to more than one account: say which one with "
                    "params.account.",
                    {{"field", "account"}});
    }
    return AccountRef{accounts_.begin()->first, accounts_.begin()->second};
}

std::shared_ptr<Backend> AccountManager::remove(std::string_view id) {
    std::lock_guard lock(mu_);
    auto it = accounts_.find(id);
    if (it == accounts_.end()) {
        return nullptr;
    }
    auto backend = std::move(it->second);
    accounts_.erase(it);
    return backend;
}

std::vector<AccountRef> AccountManager::all() const {
    std::lock_guard lock(mu_);
    std::vector<AccountRef> out;
    out.reserve(accounts_.size());
    for (const auto& [id, backend] : accounts_) {
        out.push_back(AccountRef{id, backend});
    }
    return out;
}

std::vector<std::string> AccountManager::lock_all() noexcept {
    std::vector<std::string> locked;
    for (const auto& ref : all()) {
        if (ref.backend->info().unlocked) {
            ref.backend->lock();
            try {
                locked.push_back(ref.id);
            } catch (...) {  // std::bad_alloc: locked all the same, only not reported
            }
        } else {
            ref.backend->lock();
        }
    }
    return locked;
}

json AccountManager::state_json(const AccountRef& ref) {
    const AccountInfo info = ref.backend->info();
    json out = {
        {"account", ref.id},       {"backend", std::string(ref.backend->kind())},
        {"server", info.server},   {"user", info.user},
        {"loggedIn", info.logged_in}, {"unlocked", info.unlocked},
        {"items", info.items},
    };
    out["lastSync"] = info.last_sync ? json(*info.last_sync) : json(nullptr);
    out["remembered"] = info.remembered;
    out["syncing"] = info.syncing;
    return out;
}

}  // namespace pah
