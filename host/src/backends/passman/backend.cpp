// SPDX-License-Identifier: MIT
#include "backends/passman/backend.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/sjcl.hpp"
#include "log/log.hpp"
#include "protocol/envelope.hpp"
#include "protocol/params.hpp"
#include "totp/otpauth.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

constexpr std::string_view kNoSuchEntry = "There is no such entry in this Passman vault. Sync and try again.";

// Credentials opened per hold of the mutex during a sync: lock() never waits long.
constexpr std::size_t kBatch = 64;

Error wrong_vault_key(std::string_view vault) {
    return {ErrorCode::WrongMasterPassword,
            "This vault key does not open the Passman vault \"" + std::string(vault) + "\". Check it and try again.",
            {{"field", "vaultKey"}}};
}

Error unreadable_entry() {
    return {ErrorCode::BadFormat,
            "This Passman entry does not open with the vault key (damaged, or encrypted with another key)."};
}

bool is_wrong_key(const CryptoError& error) {
    return error.code == CryptoErrc::Tampered || error.code == CryptoErrc::WrongKey;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

// otp's digits and period: numbers, or numeric strings (what Passman's QR reader keeps).
std::optional<int> loose_number(const json& otp, const char* key, int fallback) {
    const auto it = otp.find(key);
    if (it == otp.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
        return fallback;
    }
    if (it->is_number_integer()) {
        const auto value = it->get<std::int64_t>();
        return value > 0 && value <= 86'400 ? std::optional<int>(static_cast<int>(value)) : std::nullopt;
    }
    if (it->is_string()) {
        const auto& text = it->get_ref<const std::string&>();
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && value > 0 && value <= 86'400) {
            return value;
        }
    }
    return std::nullopt;
}

// A decrypted string field as text for a summary (usernames and URLs are not secrets).
std::string to_text(const SecretBuffer& buffer) { return std::string(buffer.view()); }

}  // namespace

// What the host keeps of a credential while unlocked: the summary and the encrypted
// fields that decrypt() and totp() open on demand.
struct Record {
    ItemSummary summary;
    std::string password;
    std::string description;
    std::string otp;
    std::string shared_key;
};

struct Vault {
    std::string guid;
    std::string name;
    SecretBuffer key;  // the vault key, UTF-8
    Pbkdf2Cache cache{256};
    std::unordered_map<std::string, Record> records;

    // The key a credential's fields are under: its share key (itself under the vault
    // key, used as it is, spaces included) or the vault key. `holder` keeps a share key.
    CryptoResult<ByteView> field_key(const std::string& shared_key, SecretBuffer& holder) {
        if (shared_key.empty() || shared_key == "null") {
            return key.span();
        }
        auto opened = sjcl_decrypt(key.span(), shared_key, &cache);
        if (!opened) {
            return std::unexpected(std::move(opened.error()));
        }
        if (opened->empty()) {
            return crypto_fail(CryptoErrc::WrongKey, "passman: empty share key");
        }
        holder = std::move(*opened);
        return holder.span();
    }
};

BackendOptions options_from_config(const Config& config, EventFn push) {
    BackendOptions options;
    options.push = std::move(push);
    options.server = configured_server(config, "passman");
    return options;
}

PassmanBackend::PassmanBackend(BackendOptions options)
    : SessionBackend(Error{ErrorCode::NotLoggedIn, "You are not signed in to Passman. Sign in first."},
                     Error{ErrorCode::Locked, "The Passman vault is locked. Unlock it with its vault key."}),
      options_(std::move(options)) {}

PassmanBackend::~PassmanBackend() { lock(); }

// ---------------------------------------------------------------- session

Result<json> PassmanBackend::login(const json& params) {
    auto login = read_login_params(params, options_.server,
                                   {.no_server = "Say which Nextcloud server to sign in to (params.server).",
                                    .user_field = "username",
                                    .other_user_field = "email",
                                    .no_user = "Enter your Nextcloud user name."});
    if (!login) {
        return std::unexpected(login.error());
    }
    auto created = PassmanApi::create(login->server, login->user, login->password, options_.http);
    wipe_string(login->password);
    if (!created) {
        return std::unexpected(created.error());
    }
    std::shared_ptr<PassmanApi> api = std::move(*created);
    // Basic auth has no session to open: listing the vaults proves the login.
    auto vaults = api->vaults();
    if (!vaults) {
        Error error = vaults.error();
        if (error.code == ErrorCode::NotLoggedIn) {
            error.code = ErrorCode::BadCredentials;
        } else if (error.code == ErrorCode::NotFound) {
            error.code = ErrorCode::BadRequest;
            error.extra["field"] = "server";
        }
        return std::unexpected(std::move(error));
    }
    json list = json::array();
    for (const auto& vault : *vaults) {
        list.push_back({{"guid", vault.guid}, {"name", vault.name}});
    }
    signed_in(api, login->user);
    log::info("passman", "signed in; " + std::to_string(vaults->size()) + " vaults");
    return json{{"user", login->user}, {"server", api->server()}, {"vaults", std::move(list)}};
}

Error PassmanBackend::seen(Error error) {
    return SessionBackend::seen(
        std::move(error), options_.push, "Nextcloud no longer accepts the login",
        "Nextcloud no longer accepts this login (password changed or app password revoked). Sign in again.");
}

// ---------------------------------------------------------------- vault

Result<std::size_t> PassmanBackend::unlock(const json& params, const Progress& progress) {
    auto wanted = params::optional_string(params, "vault");
    if (!wanted) {
        return std::unexpected(wanted.error());
    }
    auto vault_key = params::optional_string(params, "vaultKey");
    if (!vault_key) {
        return std::unexpected(vault_key.error());
    }
    if (!vault_key->has_value()) {
        auto master = params::optional_string(params, "masterPassword");
        if (!master) {
            return std::unexpected(master.error());
        }
        *vault_key = std::move(*master);
    }
    if (!vault_key->has_value() || (*vault_key)->empty()) {
        return fail(ErrorCode::BadRequest, "Enter the vault key of your Passman vault.", {{"field", "vaultKey"}});
    }
    auto vault = std::make_unique<Vault>();
    vault->key = SecretBuffer::copy_of(**vault_key);
    wipe_string(**vault_key);

    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto vaults = (*api)->vaults();
    if (!vaults) {
        return std::unexpected(seen(vaults.error()));
    }
    const VaultInfo* chosen = nullptr;
    if (wanted->has_value() && !(*wanted)->empty()) {
        for (const auto& candidate : *vaults) {
            if (ascii_iequals(candidate.guid, **wanted)) {
                chosen = &candidate;
                break;
            }
        }
        for (const auto& candidate : *vaults) {
            if (chosen == nullptr && candidate.name == **wanted) {
                chosen = &candidate;
            }
        }
    } else if (vaults->size() == 1) {
        chosen = &vaults->front();
    }
    if (chosen == nullptr) {
        std::string names;
        for (const auto& candidate : *vaults) {
            names += names.empty() ? "" : ", ";
            names += "\"" + candidate.name + "\"";
        }
        const bool named = wanted->has_value() && !(*wanted)->empty();
        return fail(named ? ErrorCode::NotFound : ErrorCode::BadRequest,
                    std::string(named ? "There is no such Passman vault." : "Say which Passman vault to open.") +
                        (names.empty() ? " This account has no vault." : " Your vaults: " + names + "."),
                    {{"field", "vault"}});
    }
    vault->guid = chosen->guid;
    vault->name = chosen->name;

    // challenge_password: a field of the vault's own test credential; it opens with the
    // right key only.
    const bool checked = !chosen->challenge.empty() && chosen->challenge != "null";
    if (checked) {
        auto opened = sjcl_decrypt(vault->key.span(), chosen->challenge, &vault->cache);
        if (!opened) {
            if (is_wrong_key(opened.error())) {
                return std::unexpected(wrong_vault_key(vault->name));
            }
            return std::unexpected(to_error(opened.error()));
        }
    }

    return open_and_sync(std::move(vault), progress, !checked);
}

void PassmanBackend::lock() noexcept {
    close_vault([](Vault& vault) {
        vault.key.reset();
        vault.cache.clear();
    });
}

Result<std::size_t> PassmanBackend::run_sync(std::uint64_t epoch, const Progress& progress, bool first) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    std::string guid;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        guid = vault_->guid;
    }
    auto contents = (*api)->vault(guid);
    if (!contents) {
        return std::unexpected(seen(contents.error()));
    }
    const std::size_t total = contents->credentials.size();
    std::unordered_map<std::string, Record> records;
    std::size_t skipped = contents->malformed;
    std::size_t opened = 0;
    std::size_t done = 0;
    for (std::size_t start = 0; start < total; start += kBatch) {
        {
            std::lock_guard lock(mu_);
            if (epoch_ != epoch || !vault_) {
                return std::unexpected(locked_error());
            }
            Vault& vault = *vault_;
            for (std::size_t i = start; i < std::min(total, start + kBatch); ++i) {
                RawCredential& raw = contents->credentials[i];
                if (raw.hidden || raw.deleted) {
                    continue;  // the vault's test credential, the trash
                }
                SecretBuffer share;
                auto key = vault.field_key(raw.shared_key, share);
                auto username = key ? passman_decrypt_string(*key, json(raw.username), &vault.cache)
                                    : std::unexpected(key.error());
                auto email = key ? passman_decrypt_string(*key, json(raw.email), &vault.cache)
                                 : std::unexpected(key.error());
                auto url = key ? passman_decrypt_string(*key, json(raw.url), &vault.cache)
                               : std::unexpected(key.error());
                auto otp = key ? passman_decrypt_json(*key, json(raw.otp), &vault.cache)
                               : std::unexpected(key.error());
                if (!username || !email || !url || !otp) {
                    ++skipped;
                    log::info("passman", "entry " + raw.guid + " cannot be opened; skipped");
                    continue;
                }
                Record record;
                record.summary.id = raw.guid;
                record.summary.name = raw.label;
                record.summary.username = username->empty() ? to_text(*email) : to_text(*username);
                record.summary.url = to_text(*url);
                if (otp->is_object()) {
                    const auto secret = otp->find("secret");
                    record.summary.has_totp = secret != otp->end() && secret->is_string() &&
                                              !secret->get_ref<const std::string&>().empty();
                }
                wipe_json(*otp);
                record.password = std::move(raw.password);
                record.description = std::move(raw.description);
                record.otp = std::move(raw.otp);
                record.shared_key = std::move(raw.shared_key);
                ++opened;
                std::string id = record.summary.id;
                records.insert_or_assign(std::move(id), std::move(record));
            }
        }
        done = std::min(total, start + kBatch);
        if (progress) {
            progress("sync", json{{"done", done}, {"total", total}, {"skipped", skipped}});
        }
    }
    // Without a challenge, a key that opens no entry at all is the wrong one.
    if (first && opened == 0 && skipped > 0) {
        std::lock_guard lock(mu_);
        return std::unexpected(wrong_vault_key(vault_ ? vault_->name : guid));
    }

    auto list = sorted_summaries(records);
    const std::size_t count = list->size();
    std::unordered_map<std::string, Record> old;
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        old = std::exchange(vault_->records, std::move(records));
        publish_locked(std::move(list), skipped);
    }
    log::info("passman", "synced " + std::to_string(count) + " entries, skipped " + std::to_string(skipped));
    report_sync_complete(progress, done, total, count, skipped);
    return count;
}

Result<Credential> PassmanBackend::decrypt(std::string_view id) {
    std::lock_guard lock(mu_);
    const auto found = find_record_locked(id, kNoSuchEntry);
    if (!found) {
        return std::unexpected(found.error());
    }
    const Record& record = **found;
    SecretBuffer share;
    auto key = vault_->field_key(record.shared_key, share);
    if (!key) {
        return std::unexpected(unreadable_entry());
    }
    auto password = passman_decrypt_string(*key, json(record.password), &vault_->cache);
    auto notes = passman_decrypt_string(*key, json(record.description), &vault_->cache);
    if (!password || !notes) {
        return std::unexpected(unreadable_entry());
    }
    Credential out;
    out.username = record.summary.username;
    out.password = std::move(*password);
    out.notes = std::move(*notes);
    if (!record.summary.url.empty()) {
        out.urls.push_back(record.summary.url);
    }
    return out;
}

Result<TotpSource> PassmanBackend::totp(std::string_view id) {
    json otp;
    {
        std::lock_guard lock(mu_);
        const auto found = find_record_locked(id, kNoSuchEntry);
        if (!found) {
            return std::unexpected(found.error());
        }
        if (!(*found)->summary.has_totp) {
            return fail(ErrorCode::NoTotp, "This entry has no one-time code (TOTP) set up.");
        }
        SecretBuffer share;
        auto key = vault_->field_key((*found)->shared_key, share);
        auto opened = key ? passman_decrypt_json(*key, json((*found)->otp), &vault_->cache)
                          : std::unexpected(key.error());
        if (!opened) {
            return std::unexpected(unreadable_entry());
        }
        otp = std::move(*opened);
    }
    // From here on the decrypted otp object is wiped on every path.
    struct Wipe {
        json& value;
        ~Wipe() { wipe_json(value); }
    } wipe{otp};
    const auto secret = otp.is_object() ? otp.find("secret") : otp.end();
    if (!otp.is_object() || secret == otp.end() || !secret->is_string() ||
        secret->get_ref<const std::string&>().empty()) {
        return fail(ErrorCode::NoTotp, "This entry has no one-time code (TOTP) set up.");
    }
    const auto bad_settings = [] {
        return fail(ErrorCode::BadFormat, "This entry's one-time code settings cannot be read. Check them in Passman.");
    };
    auto parsed = parse_totp_input(secret->get_ref<const std::string&>());
    if (!parsed) {
        return fail(ErrorCode::BadFormat, "This entry's TOTP secret is not base32. Check it in Passman.");
    }
    TotpSecret out;
    out.key = std::move(parsed->key);
    out.algorithm = std::string(totp_algorithm_name(parsed->params.algorithm));
    out.digits = static_cast<int>(parsed->params.digits);
    out.period = static_cast<int>(parsed->params.period_seconds);
    if (const auto algorithm = otp.find("algorithm"); algorithm != otp.end() && algorithm->is_string() &&
                                                      !algorithm->get_ref<const std::string&>().empty()) {
        out.algorithm = algorithm->get<std::string>();
    }
    const auto digits = loose_number(otp, "digits", out.digits);
    const auto period = loose_number(otp, "period", out.period);
    if (!digits || !period) {
        return bad_settings();
    }
    out.digits = *digits;
    out.period = *period;
    return TotpSource{std::move(out)};
}

}  // namespace pah::passman
