// SPDX-License-Identifier: MIT
#include "backends/passagent/backend.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "backends/common.hpp"
#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "crypto/encoding.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

Error locked_error() { return {ErrorCode::Locked, "The vault is locked. Unlock it with your master password."}; }

Error not_logged_in() { return {ErrorCode::NotLoggedIn, "You are not signed in to PassAgent. Sign in first."}; }

// Params value, else the config's, else nothing.
Result<std::optional<std::string>> param_or(const json& params, std::string_view field,
                                            const std::optional<std::string>& fallback) {
    auto value = params::optional_string(params, field);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (value->has_value() && !(*value)->empty()) {
        return *value;
    }
    return fallback;
}

}  // namespace

std::optional<RsaPrivateKey> PassAgentBackend::Vault::private_key() const {
    if (private_der.empty()) {
        return std::nullopt;
    }
    auto loaded = load_private_key(private_der);
    if (!loaded) {
        return std::nullopt;
    }
    return std::move(*loaded);
}

std::optional<VaultEntry> PassAgentBackend::Vault::find(std::string_view id) const {
    if (!items) {
        return std::nullopt;
    }
    const ItemList& list = *items;
    const auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                                     [&list](std::uint32_t at, std::string_view wanted) { return list[at].id < wanted; });
    if (it == by_id.end() || list[*it].id != id) {
        return std::nullopt;
    }
    return VaultEntry{&list[*it], &records[*it]};
}

BackendOptions options_from_config(const Config& config, EventFn push) {
    BackendOptions options;
    options.server = config.server;
    options.auth_url = config.auth_url;
    options.anon_key = config.anon_key;
    options.push = std::move(push);
    if (const auto section = config.raw.find("passagent"); section != config.raw.end() && section->is_object()) {
        if (const auto paging = section->find("paging"); paging != section->end() && paging->is_string()) {
            const auto& value = paging->get_ref<const std::string&>();
            options.paging = value == "page"     ? PagingPreference::Page
                             : value == "cursor" ? PagingPreference::Cursor
                                                 : PagingPreference::Auto;
        }
        if (const auto limit = section->find("totpPrefetch"); limit != section->end() && limit->is_number_unsigned()) {
            options.totp_prefetch_limit = limit->get<std::size_t>();
        }
    }
    return options;
}

PassAgentBackend::PassAgentBackend(BackendOptions options) : options_(std::move(options)) {}

PassAgentBackend::~PassAgentBackend() { lock(); }

// ---------------------------------------------------------------- session

Result<json> PassAgentBackend::login(const json& params) {
    auto server = param_or(params, "server", options_.server);
    auto auth_url = param_or(params, "authUrl", options_.auth_url);
    auto anon_key = param_or(params, "anonKey", options_.anon_key);
    if (!server || !auth_url || !anon_key) {
        return std::unexpected(!server ? server.error() : !auth_url ? auth_url.error() : anon_key.error());
    }
    if (!server->has_value()) {
        return fail(ErrorCode::BadRequest,
                    "Say which PassAgent server to sign in to (params.server or \"server\" in the config file).",
                    {{"field", "server"}});
    }
    if (!anon_key->has_value()) {
        return fail(ErrorCode::BadRequest,
                    "The PassAgent anon key is missing: set \"anonKey\" in the host's config file or pass it "
                    "with the sign-in.",
                    {{"field", "anonKey"}});
    }
    auto email = params::optional_string(params, "email");
    if (!email) {
        return std::unexpected(email.error());
    }
    if (!email->has_value()) {
        auto username = params::required_string(params, "username");
        if (!username) {
            return fail(ErrorCode::BadRequest, "Enter your PassAgent email address.", {{"field", "email"}});
        }
        *email = std::move(*username);
    }
    auto password = params::required_string(params, "password");
    if (!password) {
        return std::unexpected(password.error());
    }
    auto otp = params::optional_string(params, "otp");
    if (!otp) {
        return std::unexpected(otp.error());
    }

    ApiConfig config{**server, auth_url->value_or(""), **anon_key, options_.http, {}};
    auto created = PassAgentApi::create(std::move(config));
    if (!created) {
        return std::unexpected(created.error());
    }
    std::shared_ptr<PassAgentApi> api = std::move(*created);
    auto signed_in = api->login(**email, *password);
    if (!signed_in && signed_in.error().code == ErrorCode::OtpRequired) {
        if (!otp->has_value() || (*otp)->empty()) {
            Error error = signed_in.error();
            error.extra = json{{"otpRequired", true}};
            return std::unexpected(std::move(error));
        }
        signed_in = api->verify_otp(**otp);
        if (!signed_in && signed_in.error().code == ErrorCode::BadCredentials) {
            return fail(ErrorCode::BadCredentials, "The two-factor code is wrong or has expired. Try the current one.",
                        {{"otpRequired", true}, {"field", "otp"}});
        }
    }
    if (!signed_in) {
        return std::unexpected(signed_in.error());
    }
    std::string origin = api->endpoints().api_base;
    if (origin.ends_with("/api")) {
        origin.resize(origin.size() - 4);
    }
    std::string user = api->email().empty() ? **email : api->email();
    {
        std::lock_guard lock(mu_);
        api_ = api;
        user_ = user;
        server_ = origin;
        logged_in_ = true;
    }
    expired_pushed_ = false;
    log::info("passagent", "signed in");
    return json{{"user", user}, {"server", origin}};
}

Result<void> PassAgentBackend::logout() {
    lock();
    std::shared_ptr<PassAgentApi> api;
    {
        std::lock_guard lock(mu_);
        api = std::move(api_);
        logged_in_ = false;
    }
    if (!api) {
        return {};
    }
    return api->logout();
}

Result<std::shared_ptr<PassAgentApi>> PassAgentBackend::session() const {
    std::lock_guard lock(mu_);
    if (!api_ || !logged_in_) {
        return std::unexpected(not_logged_in());
    }
    return api_;
}

std::string PassAgentBackend::account_id() const {
    std::lock_guard lock(mu_);
    return "passagent:" + user_ + "@" + server_;
}

Error PassAgentBackend::seen(Error error) {
    if (error.code != ErrorCode::NotLoggedIn) {
        return error;
    }
    bool was_logged_in = false;
    {
        std::lock_guard lock(mu_);
        was_logged_in = logged_in_;
        logged_in_ = false;
    }
    const bool was_unlocked = lock_vault();
    if (was_logged_in && !expired_pushed_.exchange(true)) {
        log::warn("passagent", "the PassAgent session ended at the server");
        if (options_.push) {
            // protocol.md: an open vault that closes says `locked`; the sign-in that
            // ended says `session-expired`.
            const std::string account = account_id();
            if (was_unlocked) {
                options_.push("locked", json{{"account", account}, {"reason", "logout"}});
            }
            options_.push("session-expired", json{{"account", account}, {"backend", "passagent"}});
        }
    }
    error.message = "Your PassAgent session has ended. Sign in again.";
    return error;
}

// ---------------------------------------------------------------- vault

Result<std::size_t> PassAgentBackend::unlock(const json& params, const Progress& progress) {
    auto master = params::required_string(params, "masterPassword");
    if (!master) {
        return std::unexpected(master.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto salt = (*api)->vault_salt();
    if (!salt) {
        return std::unexpected(seen(salt.error()));
    }
    // The slow part, with no lock held: lock() and other requests go on meanwhile.
    auto key = derive_vault_key(*master, *salt);
    if (!key) {
        return std::unexpected(key.error());
    }
    if (salt->verifier) {
        if (auto ok = check_verifier(*key, to_gcm_box(*salt->verifier)); !ok) {
            return std::unexpected(ok.error());
        }
    }
    SecretBuffer private_der;
    auto keys = (*api)->vault_keys();
    if (keys) {
        auto der = open_private_key_der(*key, to_gcm_box(keys->encrypted_private_key), !salt->verifier);
        if (der) {
            private_der = std::move(*der);
        } else if (der.error().code == ErrorCode::WrongMasterPassword) {
            return std::unexpected(der.error());
        } else {
            log::warn("passagent", "the key pair does not open; shared entries will be skipped");
        }
    } else if (keys.error().code != ErrorCode::NotFound) {
        return std::unexpected(seen(keys.error()));
    }

    std::uint64_t epoch = 0;
    {
        auto vault = std::make_unique<Vault>();
        vault->key = std::move(*key);
        vault->private_der = std::move(private_der);
        std::lock_guard lock(mu_);
        epoch = ++epoch_;
        unlocked_ = false;
        vault_ = std::move(vault);
    }
    std::lock_guard sync_lock(sync_mu_);
    auto count = run_sync(epoch, progress, !salt->verifier && !keys);
    if (!count) {
        std::unique_ptr<Vault> dropped;
        {
            std::lock_guard lock(mu_);
            if (epoch_ == epoch) {
                ++epoch_;
                dropped = std::move(vault_);
            }
        }
        return std::unexpected(count.error());
    }
    return count;
}

void PassAgentBackend::lock() noexcept { (void)lock_vault(); }

bool PassAgentBackend::lock_vault() noexcept {
    std::unique_ptr<Vault> dropped;
    bool was_unlocked = false;
    {
        std::lock_guard lock(mu_);
        ++epoch_;
        was_unlocked = unlocked_;
        unlocked_ = false;
        if (vault_) {
            // Keys first, here: the records (ciphertext) are freed outside the lock.
            vault_->key.reset();
            vault_->private_der.reset();
        }
        dropped = std::move(vault_);
    }
    return was_unlocked;
}

Result<std::size_t> PassAgentBackend::sync(const Progress& progress) {
    std::uint64_t epoch = 0;
    {
        std::lock_guard lock(mu_);
        if (!logged_in_) {
            return std::unexpected(not_logged_in());
        }
        if (!unlocked_) {
            return std::unexpected(locked_error());
        }
        epoch = epoch_;
    }
    std::lock_guard sync_lock(sync_mu_);
    return run_sync(epoch, progress, false);
}

Result<std::size_t> PassAgentBackend::run_sync(std::uint64_t epoch, const Progress& progress, bool first) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    // Readable entries, packed page by page; unpacked into the new snapshot at the end.
    PackedEntries packed;
    std::size_t skipped = 0;
    std::size_t opened = 0;
    std::size_t done = 0;
    bool stale = false;
    SecretBuffer scratch;
    RequestOptions background;
    background.background = true;

    // Opens the usernames of a batch under the lock; false when the vault was locked.
    const auto take = [&](std::vector<ParsedRecord>& batch) -> bool {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            stale = true;
            return false;
        }
        std::optional<RsaPrivateKey> private_key;
        bool loaded = false;
        std::size_t readable = 0;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ParsedRecord& record = batch[i];
            if (record.sealed.kind() == RecordKind::Shared && !loaded) {
                private_key = vault_->private_key();
                loaded = true;
            }
            auto username = open_username(record, vault_->keys(private_key ? &*private_key : nullptr), scratch);
            if (!username) {
                ++skipped;
                log::info("passagent", "entry " + record.summary.id + " cannot be opened; skipped");
                continue;
            }
            record.summary.username = std::move(*username);
            if (readable != i) {
                batch[readable] = std::move(record);
            }
            ++readable;
        }
        batch.resize(readable);
        const std::size_t too_large = packed.add(batch);
        opened += readable - too_large;
        skipped += too_large;
        return true;
    };

    const PageHandler on_page = [&](PasswordPage& page, const ListProgress& listed) -> bool {
        std::vector<ParsedRecord> batch;
        batch.reserve(page.records.size());
        for (auto& raw : page.records) {
            auto record = parse_record(raw);
            raw = nullptr;  // this record's JSON is not needed any more
            if (!record) {
                ++skipped;
                continue;
            }
            batch.push_back(std::move(*record));
        }
        skipped += page.skipped;
        page.records.clear();
        page.records.shrink_to_fit();
        if (!take(batch)) {
            return false;
        }
        done = listed.records;
        if (progress) {
            json data{{"done", done}, {"skipped", skipped}};
            if (listed.total) {
                data["total"] = *listed.total;
            }
            progress("sync", std::move(data));
        }
        return true;
    };

    // One listing loop for both styles: no cursor and no page lets the server's reply
    // decide (cursor paging on PassAgent); {.page = 1} asks for numbered pages.
    PageRequest first_page;
    if (options_.paging == PagingPreference::Page) {
        first_page.page = 1;
    }
    auto listed = (*api)->list_passwords(on_page, background, std::move(first_page));
    if (!listed) {
        return std::unexpected(seen(listed.error()));
    }
    if (stale) {
        return std::unexpected(locked_error());
    }
    skipped += listed->skipped;

    // Received shares (their items are readable like one's own; an own entry with the
    // same id wins, see index_by_id).
    auto shares = (*api)->list_shares("received");
    if (!shares) {
        if (shares.error().code == ErrorCode::NotLoggedIn) {
            return std::unexpected(seen(shares.error()));
        }
        log::warn("passagent", "received shares could not be listed: " + shares.error().message);
    } else {
        std::vector<ParsedRecord> batch;
        for (const auto& raw : shares->shares) {
            auto record = parse_received_share(raw);
            if (!record) {
                if (record.error().code != ErrorCode::Unsupported) {
                    ++skipped;
                }
                continue;
            }
            batch.push_back(std::move(*record));
        }
        skipped += shares->skipped;
        shares->shares.clear();
        if (!take(batch)) {
            return std::unexpected(locked_error());
        }
    }

    // No verifier and no key pair decided the master password: entries that all fail to
    // open mean a wrong one.
    if (first && opened == 0 && skipped > 0) {
        return std::unexpected(wrong_master_password());
    }

    // The snapshot, made in one go now that the pages' JSON is gone (see PackedEntries).
    auto list = std::make_shared<ItemList>();
    std::vector<EncryptedRecord> records;
    packed.unpack_into(*list, records);
    std::vector<std::uint32_t> by_id = index_by_id(*list, records);

    // Entry TOTP configurations, so that codes need no network later.
    std::unordered_map<std::string, TotpConfig> totp;
    std::size_t fetched = 0;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const ItemSummary& item = (*list)[i];
        if (!item.has_totp || records[i].kind() == RecordKind::Shared) {
            continue;
        }
        if (fetched++ >= options_.totp_prefetch_limit) {
            break;
        }
        auto config = (*api)->totp_config(item.id);
        if (config) {
            totp.emplace(item.id, std::move(*config));
        } else if (config.error().code == ErrorCode::NotLoggedIn) {
            return std::unexpected(seen(config.error()));
        }
    }

    const std::size_t count = list->size();
    std::shared_ptr<const ItemList> old_items;
    std::vector<EncryptedRecord> old_records;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        old_items = std::exchange(vault_->items, std::move(list));
        old_records = std::exchange(vault_->records, std::move(records));
        vault_->by_id = std::move(by_id);
        vault_->totp = std::move(totp);
        skipped_ = skipped;
        last_sync_ = unix_now();
        unlocked_ = true;
    }
    // The previous snapshot is freed here, outside the lock (unless a match index still
    // shares its item list: then when that index is replaced).
    old_records.clear();
    old_items.reset();
    log::info("passagent", "synced " + std::to_string(count) + " entries, skipped " + std::to_string(skipped));
    if (progress) {
        progress("sync", json{{"done", done}, {"items", count}, {"skipped", skipped}, {"complete", true}});
    }
    return count;
}

std::shared_ptr<const ItemList> PassAgentBackend::items() const {
    std::lock_guard lock(mu_);
    return unlocked_ && vault_ ? vault_->items : nullptr;
}

std::size_t PassAgentBackend::skipped() const {
    std::lock_guard lock(mu_);
    return skipped_;
}

std::shared_ptr<PassAgentApi> PassAgentBackend::api() const {
    std::lock_guard lock(mu_);
    return api_;
}

Result<VaultEntry> PassAgentBackend::find_locked(std::string_view id) const {
    if (!logged_in_) {
        return std::unexpected(not_logged_in());
    }
    if (!unlocked_ || !vault_) {
        return std::unexpected(locked_error());
    }
    auto entry = vault_->find(id);
    if (!entry) {
        return fail(ErrorCode::NotFound, "There is no such entry in this vault. Sync and try again.",
                    {{"field", "id"}});
    }
    return *entry;
}

Result<Credential> PassAgentBackend::decrypt(std::string_view id) {
    std::lock_guard lock(mu_);
    auto entry = find_locked(id);
    if (!entry) {
        return std::unexpected(entry.error());
    }
    std::optional<RsaPrivateKey> private_key;
    if (entry->record->kind() == RecordKind::Shared) {
        private_key = vault_->private_key();
    }
    return open_record(*entry->record, *entry->summary, vault_->keys(private_key ? &*private_key : nullptr));
}

Result<TotpSource> PassAgentBackend::totp(std::string_view id) {
    std::optional<TotpConfig> cached;
    {
        std::lock_guard lock(mu_);
        auto entry = find_locked(id);
        if (!entry) {
            return std::unexpected(entry.error());
        }
        if (!entry->summary->has_totp && entry->record->kind() != RecordKind::Shared) {
            return fail(ErrorCode::NoTotp, "This entry has no one-time code.");
        }
        if (const auto it = vault_->totp.find(std::string(id)); it != vault_->totp.end()) {
            cached = it->second;
        }
    }
    if (!cached) {
        auto api = session();
        if (!api) {
            return std::unexpected(api.error());
        }
        auto config = (*api)->totp_config(id);
        if (!config) {
            if (config.error().code == ErrorCode::NotFound) {
                return fail(ErrorCode::NoTotp, "This entry has no one-time code.");
            }
            return std::unexpected(seen(config.error()));
        }
        cached = std::move(*config);
        std::lock_guard lock(mu_);
        if (unlocked_ && vault_) {
            vault_->totp.insert_or_assign(std::string(id), *cached);
        }
    }
    if (!cached->has_totp) {
        return fail(ErrorCode::NoTotp, "This entry has no one-time code.");
    }
    if (cached->zero_trust && cached->secret_encrypted) {
        SecretBuffer text;
        {
            std::lock_guard lock(mu_);
            if (!unlocked_ || !vault_) {
                return std::unexpected(locked_error());
            }
            auto opened = gcm_open(vault_->key.span(), to_gcm_box(*cached->secret_encrypted));
            if (!opened) {
                return fail(ErrorCode::BadFormat, "This entry's TOTP secret does not open with your vault key.");
            }
            text = std::move(*opened);
        }
        auto key = base32_decode_secret(text.view());
        if (!key || key->empty()) {
            return fail(ErrorCode::BadFormat, "This entry's TOTP secret is not base32.");
        }
        return TotpSource{TotpSecret{std::move(*key), cached->algorithm, cached->digits, cached->period}};
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto code = (*api)->totp_code(id);
    if (!code) {
        if (code.error().code == ErrorCode::NotFound) {
            return fail(ErrorCode::NoTotp, "This entry has no one-time code.");
        }
        return std::unexpected(seen(code.error()));
    }
    return TotpSource{pah::ServerTotpCode{code->code, code->remaining, cached->period, cached->digits, cached->algorithm}};
}

AccountInfo PassAgentBackend::info() const {
    std::lock_guard lock(mu_);
    AccountInfo out;
    out.user = user_;
    out.server = server_;
    out.logged_in = logged_in_;
    out.unlocked = unlocked_;
    out.items = unlocked_ && vault_ && vault_->items ? vault_->items->size() : 0;
    out.last_sync = last_sync_;
    return out;
}

Result<void> PassAgentBackend::send_share_view(std::string_view share_id, std::string_view action) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto sent = (*api)->log_share_view(share_id, action);
    if (!sent) {
        return std::unexpected(seen(sent.error()));
    }
    return {};
}

// ---------------------------------------------------------------- backend actions

Result<json> PassAgentBackend::call(std::string_view action, const json& params, const Progress& progress) {
    using Handler = Result<json> (PassAgentBackend::*)(const json&);
    static const std::unordered_map<std::string_view, Handler> table = {
        {"totp.set", &PassAgentBackend::totp_set},
        {"totp.delete", &PassAgentBackend::totp_delete},
        {"shares.list", &PassAgentBackend::shares_list},
        {"shares.create", &PassAgentBackend::shares_create},
        {"shares.update", &PassAgentBackend::shares_update},
        {"shares.accept", &PassAgentBackend::shares_accept},
        {"shares.delete", &PassAgentBackend::shares_delete},
        {"sessionShares.update", &PassAgentBackend::session_shares_update},
        {"sessionShares.delete", &PassAgentBackend::session_shares_delete},
    };
    Result<json> out = fail(ErrorCode::Internal, "unreached");
    if (action == "sessionShares.create") {
        out = session_shares_create(params, progress);
    } else if (action.starts_with("twoFactor.")) {
        out = two_factor(action, params);
    } else if (const auto it = table.find(action); it != table.end()) {
        out = (this->*(it->second))(params);
    } else {
        return Backend::call(action, params, progress);
    }
    if (!out) {
        return std::unexpected(seen(out.error()));
    }
    return out;
}

}  // namespace pah::passagent
