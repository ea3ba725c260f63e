// SPDX-License-Identifier: MIT
#pragma once

// The PassAgent backend: one login to one PassAgent server. Network work goes through
// PassAgentApi; the vault (keys, encrypted records, summaries) lives here. See
// docs/passagent-backend.md.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/action_table.hpp"
#include "backends/backend.hpp"
#include "backends/session_backend.hpp"
#include "backends/passagent/api.hpp"
#include "backends/passagent/records.hpp"
#include "config/config.hpp"

namespace pah::passagent {

enum class PagingPreference { Auto, Cursor, Page };

struct VaultEntry;        // vault_state.hpp
struct OpenedCopy;        // local_copy.hpp
struct CopyHeader;        // local_copy.hpp

struct BackendOptions {
    // Defaults for session.login's server / authUrl / anonKey (params win).
    std::optional<std::string> server;
    std::optional<std::string> auth_url;
    std::optional<std::string> anon_key;
    // Config "passagent": {"paging": "cursor" | "page"}: which listing style to ask for.
    PagingPreference paging = PagingPreference::Auto;
    // Zero-trust TOTP configurations fetched at sync, so that totp() needs no network.
    std::size_t totp_prefetch_limit = 200;
    // A sync lists only the records created since the last one (the cursor) while the
    // last full listing is younger than this; then it lists everything again, which is
    // when changed and deleted entries show (config "passagent": {"fullListingMinutes"}).
    std::chrono::seconds full_listing_every{3600};
    // The server's rate limits (seed 001's, or config "passagent": {"rateLimits":
    // {"general": n}} for a server that counts otherwise) and the pacers they make, one
    // per server, shared by every PassAgent backend of the process (null: this
    // backend's own).
    std::vector<http::RateLimit> rate_limits = http::passagent_limits();
    std::shared_ptr<http::PacerRegistry> pacers;
    http::ClientOptions http;
    EventFn push;
    // Where store/account_facts keeps the KDF parameters each account unlocked with
    // (empty: not kept, only the floor applies).
    std::filesystem::path state_dir;
};

// Config -> options (server, authUrl, anonKey and the "passagent" section).
BackendOptions options_from_config(const Config& config, EventFn push = {});

// server, authUrl and anonKey (params, else the options); BAD_REQUEST when one is missing.
Result<ApiConfig> read_api_config(const nlohmann::json& params, const BackendOptions& options);

struct Vault;  // vault_state.hpp: keys, records, id index; only ever touched under mu_

// Files: backend.cpp (login, logout, session end), unlock.cpp (unlock, lock), sync.cpp and
// sync_finish.cpp, entries.cpp (decrypt, totp, share views), actions.cpp (the action table) and one file
// per action family (vault_totp, shares, session_shares, two_factor).
class PassAgentBackend final : public SessionBackend<PassAgentApi, Vault> {
public:
    explicit PassAgentBackend(BackendOptions options);
    ~PassAgentBackend() override;
    PassAgentBackend(const PassAgentBackend&) = delete;
    PassAgentBackend& operator=(const PassAgentBackend&) = delete;

    [[nodiscard]] std::string_view kind() const noexcept override { return "passagent"; }
    Result<nlohmann::json> login(const Params& params) override;
    Result<std::size_t> unlock(const Params& params, const Progress& progress) override;
    // A remembered account that unlocked from its local copy offline signs in again first.
    Result<std::size_t> sync(const Progress& progress) override;
    void lock() noexcept override;
    Result<Credential> decrypt(std::string_view id) override;
    Result<TotpSource> totp(std::string_view id) override;
    Result<void> send_share_view(std::string_view share_id, std::string_view action) override;
    // writes.cpp: credentials.create / update / delete (always v3; the open vault holds
    // the change when they answer).
    Result<ItemSummary> create_item(const ItemDraft& draft) override;
    Result<ItemSummary> update_item(std::string_view id, const ItemDraft& draft) override;
    Result<void> remove_item(std::string_view id) override;

    // remember.cpp: the refresh token in the Secret Service, kept current after every
    // refresh; a restored account signs in again with it at its first unlock.
    Result<void> remember(const SignInStores& stores, const std::string& account) override;
    Result<void> restore(const store::AccountFacts& facts, const SignInStores& stores) override;
    [[nodiscard]] AccountInfo info() const override;
    Result<void> logout() override;

    // The backend actions (actions.cpp): one row each.
    static std::span<const BackendAction<PassAgentBackend>> action_table();
    Result<nlohmann::json> call(std::string_view action, const Params& params,
                                const Progress& progress) override;

    // The API client (null before login). For tests.
    [[nodiscard]] std::shared_ptr<PassAgentApi> api() const;

private:
    // Revokes the session at the server (logout()).
    Result<void> end_session(PassAgentApi& api) override;
    // Called with every API error: a refused refresh ends the session (and says so), and
    // a remembered sign-in with it.
    Error seen(Error error);
    // remember.cpp: a restored account's session from its stored refresh token (nothing
    // to do when signed in).
    Result<void> resume_remembered();
    // The request pacer of the server at `origin` (one per server, see BackendOptions).
    std::shared_ptr<http::RequestPacer> pacer_for(std::string_view origin);

    // unlock.cpp: the account's local copy when there is a usable one (a damaged or
    // foreign one is logged and ignored), and unlocking from it.
    std::optional<OpenedCopy> load_copy(const std::string& account, const std::string& server) const;
    Result<std::size_t> unlock_from_copy(std::string_view master, OpenedCopy& copy, const AccountInfo& who,
                                         const nlohmann::json& used_before);
    // copy_save.cpp: the synced snapshot as the account's local copy, and the open vault
    // after a write (failures are logged; copy_mu_ keeps two writers apart and their
    // files in the order their contents were taken).
    void save_copy(const ItemList& list, const std::vector<EncryptedRecord>& records,
                   const std::unordered_map<std::string, TotpConfig>& totp, std::string cursor,
                   std::int64_t full_listing_at);
    // `synced`: a sync just brought the open vault up to date (lastSync is noted too).
    void save_written(bool synced = false);
    // After a write: save_written() on the saver thread (started by the first write), so
    // that the write's reply does not wait for the file. Writes that come while it saves
    // make one more save, not one each.
    void request_copy_save();
    // Waits until no save is due or running (lock() and so logout and shutdown call it
    // before the vault closes: a write answered before a lock is in the copy after it).
    void flush_copy_save() noexcept;
    void stop_copy_saver() noexcept;
    void copy_saver_loop();
    // sync_finish.cpp, under mu_: the writes recorded while the sync listed, applied again over
    // its snapshot; stops recording. Whether there were any.
    bool reapply_changes_locked(ItemList& list, std::vector<EncryptedRecord>& records,
                                std::unordered_map<std::string, TotpConfig>& totp);
    // Under mu_: what every copy of the open vault says besides its records (none when no
    // vault is open).
    [[nodiscard]] std::optional<CopyHeader> copy_header_locked() const;

    // sync.cpp: lists records and received shares and swaps them in if `epoch` is still
    // current.
    Result<std::size_t> run_sync(std::uint64_t epoch, const Progress& progress, bool first) override;
    struct SyncRun;
    // Opens the usernames of a batch under the lock and packs it; false when the vault
    // was locked meanwhile.
    bool take_batch(SyncRun& run, std::vector<ParsedRecord>& batch);
    // A vault that never completed a sync shows the entries taken so far: at most once
    // a second unless `now`, with an `items-changed` push.
    void show_taken(SyncRun& run, bool now);
    Result<void> list_own(PassAgentApi& api, SyncRun& run, const Progress& progress);
    Result<void> list_received(PassAgentApi& api, SyncRun& run);
    // An incremental sync's end: the new own entries added, the received shares replaced.
    Result<std::size_t> finish_incremental(PassAgentApi& api, SyncRun& run, const Progress& progress);
    // A first sync that showed its pages as they came: the open vault is its snapshot.
    Result<std::size_t> finish_live(PassAgentApi& api, SyncRun& run, const Progress& progress);
    // The TOTP configurations of `ids` (totp_ids in sync_run.hpp picks them).
    Result<void> prefetch_totp(PassAgentApi& api, const std::vector<std::string>& ids,
                               std::unordered_map<std::string, TotpConfig>& out);

    // entries.cpp: the TOTP configuration of `id`, cached at sync or fetched now.
    Result<TotpConfig> totp_config(std::string_view id);
    Result<TotpSource> open_totp_secret(const TotpConfig& config);

    // The backend actions, one member function per row of action_table().
    // vault_totp.cpp
    Result<nlohmann::json> totp_set(const Params& params, const Progress& progress);
    Result<nlohmann::json> totp_delete(const Params& params, const Progress& progress);
    // shares.cpp
    Result<nlohmann::json> shares_list(const Params& params, const Progress& progress);
    Result<nlohmann::json> shares_create(const Params& params, const Progress& progress);
    Result<nlohmann::json> shares_update(const Params& params, const Progress& progress);
    Result<nlohmann::json> shares_accept(const Params& params, const Progress& progress);
    Result<nlohmann::json> shares_delete(const Params& params, const Progress& progress);
    // session_shares.cpp
    Result<nlohmann::json> session_shares_create(const Params& params, const Progress& progress);
    Result<nlohmann::json> session_shares_update(const Params& params, const Progress& progress);
    Result<nlohmann::json> session_shares_delete(const Params& params, const Progress& progress);
    // two_factor.cpp
    Result<nlohmann::json> two_factor_status(const Params& params, const Progress& progress);
    Result<nlohmann::json> two_factor_enroll(const Params& params, const Progress& progress);
    Result<nlohmann::json> two_factor_verify(const Params& params, const Progress& progress);
    Result<nlohmann::json> two_factor_disable(const Params& params, const Progress& progress);

    // writes.cpp: the record the server answered a write with, into the open vault of
    // `epoch` (or out of it, for a delete).
    struct Written;
    Result<Written> seal_entry(const Credential& credential, std::uint64_t& epoch);
    Result<ItemSummary> keep_written(const nlohmann::json& reply, std::string username, std::uint64_t epoch);
    // Seals `credential` under a fresh item key, sends it with the draft's clear fields
    // (POST /passwords or PATCH /passwords/{id}) and keeps what the server stored.
    Result<ItemSummary> send_entry(std::string_view method, const std::string& path, const ItemDraft& draft,
                                   const Credential& credential);
    void forget_entry(std::string_view id);

    // Under mu_: the entry by id, NOT_LOGGED_IN / LOCKED / NOT_FOUND otherwise.
    Result<VaultEntry> find_locked(std::string_view id) const;

    BackendOptions options_;
    // Under mu_: the vault opened without a sync (from the local copy, or before its first
    // sync) and SyncTimer's sync has not started yet; status says `syncing` meanwhile.
    bool sync_due_ = false;
    std::mutex copy_mu_;  // one local-copy write at a time (taken before mu_, never inside it)
    // The copy saver (copy_save.cpp); the flags under saver_mu_.
    std::mutex saver_mu_;
    std::condition_variable saver_cv_;
    bool save_due_ = false;
    bool saving_ = false;
    bool saver_stop_ = false;
    std::thread saver_;
};

}  // namespace pah::passagent
