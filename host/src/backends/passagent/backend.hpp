// SPDX-License-Identifier: MIT
#pragma once

// The PassAgent backend: one login to one PassAgent server. Network work goes through
// PassAgentApi; the vault (keys, encrypted records, summaries) lives here. See
// docs/passagent-backend.md.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "backends/passagent/api.hpp"
#include "backends/passagent/records.hpp"
#include "config/config.hpp"

namespace pah::passagent {

// A push not tied to a request ("session-expired").
using EventFn = std::function<void(std::string_view event, nlohmann::json data)>;

enum class PagingPreference { Auto, Cursor, Page };

struct VaultEntry;  // vault_state.hpp

struct BackendOptions {
    // Defaults for session.login's server / authUrl / anonKey (params win).
    std::optional<std::string> server;
    std::optional<std::string> auth_url;
    std::optional<std::string> anon_key;
    // Config "passagent": {"paging": "cursor" | "page"}: which listing style to ask for.
    PagingPreference paging = PagingPreference::Auto;
    // Zero-trust TOTP configurations fetched at sync, so that totp() needs no network.
    std::size_t totp_prefetch_limit = 200;
    http::ClientOptions http;
    EventFn push;
};

// Config -> options (server, authUrl, anonKey and the "passagent" section).
BackendOptions options_from_config(const Config& config, EventFn push = {});

class PassAgentBackend final : public Backend {
public:
    explicit PassAgentBackend(BackendOptions options);
    ~PassAgentBackend() override;
    PassAgentBackend(const PassAgentBackend&) = delete;
    PassAgentBackend& operator=(const PassAgentBackend&) = delete;

    [[nodiscard]] std::string_view kind() const noexcept override { return "passagent"; }
    Result<nlohmann::json> login(const nlohmann::json& params) override;
    Result<void> logout() override;
    Result<std::size_t> unlock(const nlohmann::json& params, const Progress& progress) override;
    void lock() noexcept override;
    Result<std::size_t> sync(const Progress& progress) override;
    [[nodiscard]] std::shared_ptr<const ItemList> items() const override;
    Result<Credential> decrypt(std::string_view id) override;
    Result<TotpSource> totp(std::string_view id) override;
    [[nodiscard]] AccountInfo info() const override;
    Result<void> send_share_view(std::string_view share_id, std::string_view action) override;
    Result<nlohmann::json> call(std::string_view action, const nlohmann::json& params,
                                const Progress& progress) override;

    // Entries the last sync could not open (travel mode, damage). For tests and status.
    [[nodiscard]] std::size_t skipped() const;
    // The API client (null before login). For tests.
    [[nodiscard]] std::shared_ptr<PassAgentApi> api() const;

private:
    struct Vault;  // keys, summaries, records; only ever touched under mu_

    // Snapshot of the API client; NOT_LOGGED_IN without one.
    Result<std::shared_ptr<PassAgentApi>> session() const;
    // Called with every API error: a refused refresh ends the session (and says so).
    Error seen(Error error);
    [[nodiscard]] std::string account_id() const;

    // Lists records and received shares and swaps them in if `epoch` is still current.
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first);

    // totp.set / totp.delete
    Result<nlohmann::json> totp_set(const nlohmann::json& params);
    Result<nlohmann::json> totp_delete(const nlohmann::json& params);
    // shares.* (shares.cpp)
    Result<nlohmann::json> shares_list(const nlohmann::json& params);
    Result<nlohmann::json> shares_create(const nlohmann::json& params);
    Result<nlohmann::json> shares_update(const nlohmann::json& params);
    Result<nlohmann::json> shares_accept(const nlohmann::json& params);
    Result<nlohmann::json> shares_delete(const nlohmann::json& params);
    // sessionShares.* (session_shares.cpp)
    Result<nlohmann::json> session_shares_create(const nlohmann::json& params, const Progress& progress);
    Result<nlohmann::json> session_shares_update(const nlohmann::json& params);
    Result<nlohmann::json> session_shares_delete(const nlohmann::json& params);
    // twoFactor.* (two_factor.cpp)
    Result<nlohmann::json> two_factor(std::string_view action, const nlohmann::json& params);

    // Under mu_: the entry by id, LOCKED / NOT_FOUND otherwise.
    Result<VaultEntry> find_locked(std::string_view id) const;
    // Wipes the keys and drops the vault; true when it was unlocked.
    bool lock_vault() noexcept;

    BackendOptions options_;

    mutable std::mutex mu_;
    std::shared_ptr<PassAgentApi> api_;
    std::string user_;
    std::string server_;
    bool logged_in_ = false;
    std::uint64_t epoch_ = 0;  // bumped by every unlock and lock: a sync of an old epoch is dropped
    bool unlocked_ = false;
    std::unique_ptr<Vault> vault_;
    std::size_t skipped_ = 0;
    std::optional<std::int64_t> last_sync_;

    std::mutex sync_mu_;  // one sync at a time (never held by lock())
    std::atomic<bool> expired_pushed_{false};
};

}  // namespace pah::passagent
