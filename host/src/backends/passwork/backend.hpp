// SPDX-License-Identifier: MIT
#pragma once

// The Passwork backend (legacy API, Passwork 4): one login, every vault the user can
// read. Network work goes through PassworkApi; the open vault (master password, vault
// passwords, encrypted entries, summaries) lives here. See docs/passwork-backend.md.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "backends/passwork/api.hpp"
#include "config/config.hpp"

namespace pah::passwork {

using EventFn = std::function<void(std::string_view event, nlohmann::json data)>;

struct BackendOptions {
    // Default for session.login's server (config "passwork": {"server": ...}).
    std::optional<std::string> server;
    http::ClientOptions http;
    EventFn push;  // "session-expired"
};

BackendOptions options_from_config(const Config& config, EventFn push = {});

class PassworkBackend final : public Backend {
public:
    explicit PassworkBackend(BackendOptions options);
    ~PassworkBackend() override;
    PassworkBackend(const PassworkBackend&) = delete;
    PassworkBackend& operator=(const PassworkBackend&) = delete;

    [[nodiscard]] std::string_view kind() const noexcept override { return "passwork"; }
    // {server, email|username, password} -> {user, server, encryption}
    Result<nlohmann::json> login(const nlohmann::json& params) override;
    Result<void> logout() override;
    // {masterPassword} (not needed without client-side encryption)
    Result<std::size_t> unlock(const nlohmann::json& params, const Progress& progress) override;
    void lock() noexcept override;
    Result<std::size_t> sync(const Progress& progress) override;
    [[nodiscard]] std::shared_ptr<const ItemList> items() const override;
    Result<Credential> decrypt(std::string_view id) override;
    Result<TotpSource> totp(std::string_view id) override;
    [[nodiscard]] AccountInfo info() const override;

    // Entries the last sync could not open. For tests and status.
    [[nodiscard]] std::size_t skipped() const;

private:
    struct Vault;  // master password, vault passwords, encrypted entries; only touched under mu_

    Result<std::shared_ptr<PassworkApi>> session() const;
    // Called with every API error: a login refused after sign-in ends the session.
    Error seen(Error error);
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress);

    BackendOptions options_;

    mutable std::mutex mu_;
    std::shared_ptr<PassworkApi> api_;
    std::string user_;
    std::string server_;
    bool logged_in_ = false;
    std::uint64_t epoch_ = 0;  // bumped by every unlock and lock: a sync of an old epoch is dropped
    bool unlocked_ = false;
    std::unique_ptr<Vault> vault_;
    std::shared_ptr<const ItemList> items_;
    std::size_t skipped_ = 0;
    std::optional<std::int64_t> last_sync_;

    std::mutex sync_mu_;  // one sync at a time (never held by lock())
    std::atomic<bool> expired_pushed_{false};
};

}  // namespace pah::passwork
