// SPDX-License-Identifier: MIT
#pragma once

// The Passman (Nextcloud) backend: one Nextcloud login, one open vault at a time.
// Network work goes through PassmanApi; the open vault (key, encrypted credentials,
// summaries) lives here. See docs/passman-backend.md.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "backends/action_table.hpp"
#include "backends/common.hpp"
#include "backends/passman/api.hpp"
#include "config/config.hpp"

namespace pah::passman {

struct BackendOptions {
    // Default for session.login's server (config "passman": {"server": ...}).
    std::optional<std::string> server;
    http::ClientOptions http;
    EventFn push;  // "session-expired"
};

BackendOptions options_from_config(const Config& config, EventFn push = {});

struct Vault;  // key, derived-key cache, encrypted credentials; only touched under mu_

class PassmanBackend final : public SessionBackend<PassmanApi, Vault> {
public:
    explicit PassmanBackend(BackendOptions options);
    ~PassmanBackend() override;
    PassmanBackend(const PassmanBackend&) = delete;
    PassmanBackend& operator=(const PassmanBackend&) = delete;

    [[nodiscard]] std::string_view kind() const noexcept override { return "passman"; }
    // {server, username|email, password} -> {user, server, vaults: [{guid, name}]}
    Result<nlohmann::json> login(const Params& params) override;
    // {vault (guid or name; optional with one vault), vaultKey (or masterPassword)}
    Result<std::size_t> unlock(const Params& params, const Progress& progress) override;
    void lock() noexcept override;
    Result<Credential> decrypt(std::string_view id) override;
    Result<TotpSource> totp(std::string_view id) override;
    // writes.cpp: credentials.create / update / delete (sjcl under the vault key; delete =
    // the trash, as Passman's web app does it).
    Result<ItemSummary> create_item(const ItemDraft& draft) override;
    Result<ItemSummary> update_item(std::string_view id, const ItemDraft& draft) override;
    Result<void> remove_item(std::string_view id) override;

    // This backend's own actions: none yet. A row here and a member function add one.
    static std::span<const BackendAction<PassmanBackend>> action_table() { return {}; }
    Result<nlohmann::json> call(std::string_view action, const Params& params,
                                const Progress& progress) override {
        return call_action(*this, action_table(), action, params, progress);
    }

private:
    // Called with every API error: a refused login after sign-in ends the session.
    Error seen(Error error);
    // `first`: without a challenge, a key that opens no entry is refused here.
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first) override;

    // writes.cpp
    Result<nlohmann::json> current_credential(PassmanApi& api, std::string_view id, std::string& vault_guid);
    Result<ItemSummary> write_credential(const std::string& method, const std::string& guid, nlohmann::json body,
                                         const ItemDraft& draft, std::uint64_t epoch);

    BackendOptions options_;
};

}  // namespace pah::passman
