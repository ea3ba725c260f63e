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

// The server default (config "passwork": {"server": ...}), HTTP options, "session-expired".
using BackendOptions = ServerBackendOptions;

inline BackendOptions options_from_config(const Config& config, EventFn push = {}) {
    return server_backend_options(config, "passwork", std::move(push));
}

struct Vault;  // master password, vault passwords, encrypted entries; only touched under mu_

// Its own actions: none yet. An action_table() here (as PassAgentBackend's) adds some.
class PassworkBackend final : public TableBackend<PassworkBackend, SessionBackend<PassworkApi, Vault>> {
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

private:
    // Called with every API error: a login refused after sign-in ends the session.
    Error seen(Error error);
    // `first` is not needed: unlock() checked the master password against the hash.
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first) override;

    BackendOptions options_;
};

}  // namespace pah::passwork
