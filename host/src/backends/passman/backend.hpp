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

// The server default (config "passman": {"server": ...}), HTTP options, "session-expired".
using BackendOptions = ServerBackendOptions;

inline BackendOptions options_from_config(const Config& config, EventFn push = {}) {
    return server_backend_options(config, "passman", std::move(push));
}

struct Vault;  // key, derived-key cache, encrypted credentials; only touched under mu_

// Its own actions: none yet. An action_table() here (as PassAgentBackend's) adds some.
class PassmanBackend final : public TableBackend<PassmanBackend, SessionBackend<PassmanApi, Vault>> {
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
    // remember.cpp: the Nextcloud password in the Secret Service; a restored account
    // signs in again with it at its first unlock.
    Result<void> remember(const SignInStores& stores, const std::string& account) override;
    Result<void> restore(const store::AccountFacts& facts, const SignInStores& stores) override;

private:
    // remember.cpp: a restored account signs in again (nothing to do when signed in).
    Result<void> resume_remembered();
    // Called with every API error: a refused login after sign-in ends the session.
    Error seen(Error error);
    // `first`: without a challenge, a key that opens no entry is refused here.
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first) override;

    // writes.cpp
    struct WriteStart;
    // The session, the open vault's guid and the epoch of a write; with `id`, that entry
    // must be in the open vault.
    Result<WriteStart> start_write(std::optional<std::string_view> id);
    Result<nlohmann::json> current_credential(PassmanApi& api, std::string_view id, std::string& vault_guid);
    Result<ItemSummary> write_credential(const std::string& method, const std::string& guid,
                                         const nlohmann::json& body, const ItemDraft& draft,
                                         std::uint64_t epoch);

    BackendOptions options_;
};

}  // namespace pah::passman
