// SPDX-License-Identifier: MIT
#pragma once

// The Passwork backend (legacy API, Passwork 4): one login, every vault the user can
// read. Network work goes through PassworkApi; the open vault (master password, vault
// passwords, encrypted entries, summaries) lives here. See docs/passwork-backend.md.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "backends/action_table.hpp"
#include "backends/common.hpp"
#include "backends/passwork/api.hpp"
#include "config/config.hpp"

namespace pah::passwork {

struct BackendOptions {
    // Default for session.login's server (config "passwork": {"server": ...}).
    std::optional<std::string> server;
    http::ClientOptions http;
    EventFn push;  // "session-expired"
};

BackendOptions options_from_config(const Config& config, EventFn push = {});

struct Vault;  // master password, vault passwords, encrypted entries; only touched under mu_

class PassworkBackend final : public SessionBackend<PassworkApi, Vault> {
public:
    explicit PassworkBackend(BackendOptions options);
    ~PassworkBackend() override;
    PassworkBackend(const PassworkBackend&) = delete;
    PassworkBackend& operator=(const PassworkBackend&) = delete;

    [[nodiscard]] std::string_view kind() const noexcept override { return "passwork"; }
    // {server, email|username, password} -> {user, server, encryption}
    Result<nlohmann::json> login(const Params& params) override;
    // {masterPassword} (not needed without client-side encryption)
    Result<std::size_t> unlock(const Params& params, const Progress& progress) override;
    void lock() noexcept override;
    // Passwork's legacy API is read-only: every write answers this (writes.cpp).
    [[nodiscard]] Error writes_unsupported() const override;
    Result<Credential> decrypt(std::string_view id) override;
    Result<TotpSource> totp(std::string_view id) override;

    // This backend's own actions: none yet. A row here and a member function add one.
    static std::span<const BackendAction<PassworkBackend>> action_table() { return {}; }
    Result<nlohmann::json> call(std::string_view action, const Params& params,
                                const Progress& progress) override {
        return call_action(*this, action_table(), action, params, progress);
    }

private:
    // Called with every API error: a login refused after sign-in ends the session.
    Error seen(Error error);
    // `first` is not needed: unlock() checked the master password against the hash.
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first) override;

    BackendOptions options_;
};

}  // namespace pah::passwork
