// SPDX-License-Identifier: MIT
#include "backends/passwork/backend.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/cryptojs.hpp"
#include "crypto/encoding.hpp"
#include "log/log.hpp"
#include "protocol/envelope.hpp"
#include "protocol/params.hpp"
#include "totp/otpauth.hpp"

namespace pah::passwork {

using nlohmann::json;

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Error locked_error() { return {ErrorCode::Locked, "Passwork is locked. Unlock it with your master password."}; }

Error not_logged_in() { return {ErrorCode::NotLoggedIn, "You are not signed in to Passwork. Sign in first."}; }

Error unreadable_entry() {
    return {ErrorCode::BadFormat,
            "This Passwork entry does not open with its vault's password (damaged, or encrypted with another key)."};
}

bool is_totp_type(std::string_view type) {
    return type.size() == 4 && (type[0] | 0x20) == 't' && (type[1] | 0x20) == 'o' && (type[2] | 0x20) == 't' &&
           (type[3] | 0x20) == 'p';
}

// The document's decode(data, pwd): CryptoJS passphrase AES over Passwork base32 with
// client-side encryption on, plain base64 of UTF-8 text with it off.
CryptoResult<SecretBuffer> decode(std::string_view data, ByteView password, bool encryption) {
    if (encryption) {
        return cryptojs_decrypt(data, password);
    }
    auto plain = base64_decode_secret(data);
    if (!plain) {
        return crypto_fail(CryptoErrc::BadFormat, "passwork: not base64");
    }
    if (!is_valid_utf8(plain->span())) {
        return crypto_fail(CryptoErrc::WrongKey, "passwork: not UTF-8");
    }
    return std::move(*plain);
}

}  // namespace

// What the host keeps of an entry while unlocked: the summary (Passwork sends name,
// login and URL in plain text) and the encrypted values that decrypt() and totp() open.
struct Record {
    ItemSummary summary;
    std::string group_id;
    std::string crypted_password;
    std::string description;
    std::vector<CustomField> custom;
};

struct PassworkBackend::Vault {
    SecretBuffer master;  // the master password, UTF-8 (vault passwords are under it)
    bool encryption = true;
    std::unordered_map<std::string, SecretBuffer> group_keys;  // vault id -> vault password
    std::unordered_map<std::string, Record> records;

    // The vault password: private vaults under the master password, organisation vaults
    // under a domain password that is itself under the master password.
    CryptoResult<SecretBuffer> open_group(const Group& group) const {
        if (!group.domain) {
            return decode(group.password_crypted, master.span(), encryption);
        }
        auto domain = decode(group.domain_master, master.span(), encryption);
        if (!domain) {
            return domain;
        }
        return decode(group.password_crypted, domain->span(), encryption);
    }
};

BackendOptions options_from_config(const Config& config, EventFn push) {
    BackendOptions options;
    options.push = std::move(push);
    if (const auto section = config.raw.find("passwork"); section != config.raw.end() && section->is_object()) {
        if (const auto server = section->find("server"); server != section->end() && server->is_string()) {
            options.server = server->get<std::string>();
        }
    }
    return options;
}

PassworkBackend::PassworkBackend(BackendOptions options) : options_(std::move(options)) {}

PassworkBackend::~PassworkBackend() { lock(); }

// ---------------------------------------------------------------- session

Result<json> PassworkBackend::login(const json& params) {
    auto server = params::optional_string(params, "server");
    if (!server) {
        return std::unexpected(server.error());
    }
    if (!server->has_value() || (*server)->empty()) {
        *server = options_.server;
    }
    if (!server->has_value() || (*server)->empty()) {
        return fail(ErrorCode::BadRequest, "Say which Passwork server to sign in to (params.server).",
                    {{"field", "server"}});
    }
    auto email = params::optional_string(params, "email");
    if (!email) {
        return std::unexpected(email.error());
    }
    if (!email->has_value()) {
        auto username = params::optional_string(params, "username");
        if (!username) {
            return std::unexpected(username.error());
        }
        *email = std::move(*username);
    }
    if (!email->has_value() || (*email)->empty()) {
        return fail(ErrorCode::BadRequest, "Enter your Passwork email address.", {{"field", "email"}});
    }
    auto password = params::required_string(params, "password");
    if (!password) {
        return std::unexpected(password.error());
    }
    auto created = PassworkApi::create(**server, **email, *password, options_.http);
    wipe_string(*password);
    if (!created) {
        return std::unexpected(created.error());
    }
    std::shared_ptr<PassworkApi> api = std::move(*created);
    if (auto opened = api->open_session(); !opened) {
        Error error = opened.error();
        if (error.code == ErrorCode::NotFound) {
            error.code = ErrorCode::BadRequest;
            error.extra["field"] = "server";
        }
        return std::unexpected(std::move(error));
    }
    const bool encryption = !api->hash().empty();
    {
        std::lock_guard lock(mu_);
        api_ = api;
        user_ = **email;
        server_ = api->server();
        logged_in_ = true;
    }
    expired_pushed_ = false;
    log::info("passwork", encryption ? "signed in" : "signed in (no client-side encryption)");
    return json{{"user", **email}, {"server", api->server()}, {"encryption", encryption}};
}

Result<void> PassworkBackend::logout() {
    lock();
    std::lock_guard lock(mu_);
    api_.reset();  // wipes the login and the session code; the session expires at the server
    logged_in_ = false;
    return {};
}

Result<std::shared_ptr<PassworkApi>> PassworkBackend::session() const {
    std::lock_guard lock(mu_);
    if (!api_ || !logged_in_) {
        return std::unexpected(not_logged_in());
    }
    return api_;
}

Error PassworkBackend::seen(Error error) {
    if (error.code != ErrorCode::NotLoggedIn) {
        return error;
    }
    bool was_logged_in = false;
    std::string account;
    {
        std::lock_guard lock(mu_);
        was_logged_in = logged_in_;
        logged_in_ = false;
        account = "passwork:" + user_ + "@" + server_;
    }
    lock();
    if (was_logged_in && !expired_pushed_.exchange(true)) {
        log::warn("passwork", "Passwork no longer accepts the login");
        if (options_.push) {
            options_.push("session-expired", json{{"account", account}, {"backend", "passwork"}});
        }
    }
    error.message = "Passwork no longer accepts this login (the password was changed?). Sign in again.";
    return error;
}

// ---------------------------------------------------------------- vault

Result<std::size_t> PassworkBackend::unlock(const json& params, const Progress& progress) {
    auto master = params::optional_string(params, "masterPassword");
    if (!master) {
        return std::unexpected(master.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto vault = std::make_unique<Vault>();
    const std::string hash = (*api)->hash();
    vault->encryption = !hash.empty();
    if (vault->encryption) {
        if (!master->has_value() || (*master)->empty()) {
            return fail(ErrorCode::BadRequest, "Enter your Passwork master password.", {{"field", "masterPassword"}});
        }
        // CryptoJS cannot tell a wrong password from a right one (it does not check the
        // padding): the hash from openSession decides.
        const bool matches = passwork_master_hash_matches(as_bytes(**master), hash);
        if (!matches) {
            wipe_string(**master);
            return fail(ErrorCode::WrongMasterPassword,
                        "This is not your Passwork master password. Check it and try again.",
                        {{"field", "masterPassword"}});
        }
        vault->master = SecretBuffer::copy_of(**master);
    }
    if (master->has_value()) {
        wipe_string(**master);
    }

    std::uint64_t epoch = 0;
    {
        std::lock_guard lock(mu_);
        epoch = ++epoch_;
        unlocked_ = false;
        vault_ = std::move(vault);
        items_.reset();
    }
    std::lock_guard sync_lock(sync_mu_);
    auto count = run_sync(epoch, progress);
    if (!count) {
        std::unique_ptr<Vault> dropped;
        std::lock_guard lock(mu_);
        if (epoch_ == epoch) {
            ++epoch_;
            dropped = std::move(vault_);
            items_.reset();
        }
        return std::unexpected(count.error());
    }
    return count;
}

void PassworkBackend::lock() noexcept {
    std::unique_ptr<Vault> dropped;
    std::shared_ptr<const ItemList> items;
    {
        std::lock_guard lock(mu_);
        ++epoch_;
        unlocked_ = false;
        if (vault_) {
            vault_->master.reset();
            vault_->group_keys.clear();
        }
        dropped = std::move(vault_);
        items = std::move(items_);
    }
}

Result<std::size_t> PassworkBackend::sync(const Progress& progress) {
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
    return run_sync(epoch, progress);
}

Result<std::size_t> PassworkBackend::run_sync(std::uint64_t epoch, const Progress& progress) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto groups = (*api)->groups();
    if (!groups) {
        return std::unexpected(seen(groups.error()));
    }
    // The vault passwords, under the mutex (they need the master password).
    std::unordered_map<std::string, SecretBuffer> keys;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        for (const auto& group : *groups) {
            auto key = vault_->open_group(group);
            if (!key || key->empty()) {
                log::info("passwork", "vault " + group.id + " does not open; its entries are skipped");
                continue;
            }
            keys.insert_or_assign(group.id, std::move(*key));
        }
    }

    std::size_t total = 0;
    for (const auto& group : *groups) {
        total += 1 + group.folders.size();
    }
    std::unordered_map<std::string, Record> records;
    std::size_t skipped = 0;
    std::size_t done = 0;
    for (const auto& group : *groups) {
        const bool readable = keys.contains(group.id);
        std::vector<std::string_view> folders = {std::string_view()};
        folders.insert(folders.end(), group.folders.begin(), group.folders.end());
        for (const auto folder : folders) {
            // No lock held: lock() goes on while the listing is on its way.
            auto list = (*api)->passwords(group.id, folder);
            if (!list) {
                return std::unexpected(seen(list.error()));
            }
            skipped += list->malformed;
            for (auto& raw : list->passwords) {
                if (!readable) {
                    ++skipped;
                    log::info("passwork", "entry " + raw.id + " cannot be opened; skipped");
                    continue;
                }
                Record record;
                record.summary.id = raw.id;
                record.summary.name = std::move(raw.name);
                record.summary.username = std::move(raw.login);
                record.summary.url = std::move(raw.url);
                record.summary.has_totp = std::any_of(raw.custom.begin(), raw.custom.end(),
                                                      [](const CustomField& f) { return is_totp_type(f.type); });
                record.group_id = group.id;
                record.crypted_password = std::move(raw.crypted_password);
                record.description = std::move(raw.description);
                record.custom = std::move(raw.custom);
                std::string id = record.summary.id;
                records.insert_or_assign(std::move(id), std::move(record));
            }
            ++done;
            if (progress) {
                progress("sync", json{{"done", done}, {"total", total}, {"skipped", skipped}});
            }
        }
    }

    auto list = std::make_shared<ItemList>();
    list->reserve(records.size());
    for (const auto& [id, record] : records) {
        list->push_back(record.summary);
    }
    std::sort(list->begin(), list->end(), [](const ItemSummary& a, const ItemSummary& b) { return a.name < b.name; });
    const std::size_t count = list->size();
    std::unordered_map<std::string, Record> old_records;
    std::unordered_map<std::string, SecretBuffer> old_keys;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        old_records = std::exchange(vault_->records, std::move(records));
        old_keys = std::exchange(vault_->group_keys, std::move(keys));
        items_ = std::move(list);
        skipped_ = skipped;
        last_sync_ = unix_now();
        unlocked_ = true;
    }
    log::info("passwork", "synced " + std::to_string(count) + " entries, skipped " + std::to_string(skipped));
    if (progress) {
        progress("sync", json{{"done", done}, {"total", total}, {"items", count}, {"skipped", skipped},
                              {"complete", true}});
    }
    return count;
}

std::shared_ptr<const ItemList> PassworkBackend::items() const {
    std::lock_guard lock(mu_);
    return unlocked_ ? items_ : nullptr;
}

std::size_t PassworkBackend::skipped() const {
    std::lock_guard lock(mu_);
    return skipped_;
}

Result<Credential> PassworkBackend::decrypt(std::string_view id) {
    std::lock_guard lock(mu_);
    if (!logged_in_) {
        return std::unexpected(not_logged_in());
    }
    if (!unlocked_ || !vault_) {
        return std::unexpected(locked_error());
    }
    const auto it = vault_->records.find(std::string(id));
    if (it == vault_->records.end()) {
        return fail(ErrorCode::NotFound, "There is no such entry in Passwork. Sync and try again.", {{"field", "id"}});
    }
    const Record& record = it->second;
    const auto key = vault_->group_keys.find(record.group_id);
    if (key == vault_->group_keys.end()) {
        return std::unexpected(unreadable_entry());
    }
    auto password = decode(record.crypted_password, key->second.span(), vault_->encryption);
    if (!password) {
        return std::unexpected(unreadable_entry());
    }
    Credential out;
    out.username = record.summary.username;
    out.password = std::move(*password);
    out.notes = SecretBuffer::copy_of(record.description);
    if (!record.summary.url.empty()) {
        out.urls.push_back(record.summary.url);
    }
    return out;
}

Result<TotpSource> PassworkBackend::totp(std::string_view id) {
    SecretBuffer text;
    {
        std::lock_guard lock(mu_);
        if (!logged_in_) {
            return std::unexpected(not_logged_in());
        }
        if (!unlocked_ || !vault_) {
            return std::unexpected(locked_error());
        }
        const auto it = vault_->records.find(std::string(id));
        if (it == vault_->records.end()) {
            return fail(ErrorCode::NotFound, "There is no such entry in Passwork. Sync and try again.",
                        {{"field", "id"}});
        }
        const Record& record = it->second;
        const auto field = std::find_if(record.custom.begin(), record.custom.end(),
                                        [](const CustomField& f) { return is_totp_type(f.type); });
        if (field == record.custom.end()) {
            return fail(ErrorCode::NoTotp, "This entry has no one-time code (TOTP) set up.");
        }
        const auto key = vault_->group_keys.find(record.group_id);
        if (key == vault_->group_keys.end()) {
            return std::unexpected(unreadable_entry());
        }
        auto opened = decode(field->value, key->second.span(), vault_->encryption);
        if (!opened) {
            return std::unexpected(unreadable_entry());
        }
        text = std::move(*opened);
    }
    // An otpauth:// URI, or a bare base32 secret.
    auto parsed = parse_totp_input(text.view());
    if (!parsed) {
        return fail(ErrorCode::BadFormat,
                    "This entry's TOTP field is neither an otpauth:// URI nor a base32 secret. Check it in Passwork.");
    }
    TotpSecret out;
    out.key = std::move(parsed->key);
    out.algorithm = std::string(totp_algorithm_name(parsed->params.algorithm));
    out.digits = static_cast<int>(parsed->params.digits);
    out.period = static_cast<int>(parsed->params.period_seconds);
    return TotpSource{std::move(out)};
}

AccountInfo PassworkBackend::info() const {
    std::lock_guard lock(mu_);
    AccountInfo out;
    out.user = user_;
    out.server = server_;
    out.logged_in = logged_in_;
    out.unlocked = unlocked_;
    out.items = unlocked_ && items_ ? items_->size() : 0;
    out.last_sync = last_sync_;
    return out;
}

}  // namespace pah::passwork
