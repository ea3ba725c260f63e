// SPDX-License-Identifier: MIT
#include "backends/passwork/backend.hpp"

#include <algorithm>
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

constexpr std::string_view kNoSuchEntry = "There is no such entry in Passwork. Sync and try again.";

Error unreadable_entry() { return pah::unreadable_entry("Passwork", "its vault's password"); }

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

struct Vault {
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

PassworkBackend::PassworkBackend(BackendOptions options)
    : TableBackend(Error{ErrorCode::NotLoggedIn, "You are not signed in to Passwork. Sign in first."},
                   Error{ErrorCode::Locked, "Passwork is locked. Unlock it with your master password."}),
      options_(std::move(options)) {}

PassworkBackend::~PassworkBackend() { lock(); }

// ---------------------------------------------------------------- session

Result<json> PassworkBackend::login(const Params& params) {
    auto login = new_login_client<PassworkApi>(
        params, options_,
        {.no_server = "Say which Passwork server to sign in to (params.server).",
         .user_field = "email",
         .other_user_field = "username",
         .no_user = "Enter your Passwork email address."});
    if (!login) {
        return std::unexpected(login.error());
    }
    auto& [user, api] = *login;
    if (auto opened = api->open_session(); !opened) {
        return std::unexpected(not_found_is_bad_server(opened.error()));
    }
    const bool encryption = !api->hash().empty();
    signed_in(api, user);
    log::info("passwork", encryption ? "signed in" : "signed in (no client-side encryption)");
    return json{{"user", user}, {"server", api->server()}, {"encryption", encryption}};
}

Error PassworkBackend::seen(Error error) {
    return SessionBackend::seen(std::move(error), options_.push, "Passwork no longer accepts the login",
                                "Passwork no longer accepts this login (the password was changed?). Sign in again.");
}

// ---------------------------------------------------------------- vault

Result<std::size_t> PassworkBackend::unlock(const Params& params, const Progress& progress) {
    auto master = params::optional_secret(params, "masterPassword");
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
        if (*master == nullptr || (*master)->empty()) {
            return fail(ErrorCode::BadRequest, "Enter your Passwork master password.", {{"field", "masterPassword"}});
        }
        // CryptoJS cannot tell a wrong password from a right one (it does not check the
        // padding): the hash from openSession decides.
        const bool matches = passwork_master_hash_matches((*master)->span(), hash);
        if (!matches) {
            return fail(ErrorCode::WrongMasterPassword,
                        "This is not your Passwork master password. Check it and try again.",
                        {{"field", "masterPassword"}});
        }
        vault->master = SecretBuffer::copy_of((*master)->span());
    }

    return open_and_sync(std::move(vault), progress, false);
}

void PassworkBackend::lock() noexcept {
    close_vault([](Vault& vault) {
        vault.master.reset();
        vault.group_keys.clear();
    });
}

Result<std::size_t> PassworkBackend::run_sync(std::uint64_t epoch, const Progress& progress, bool /*first*/) {
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

    auto list = sorted_summaries(records);
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
        publish_locked(std::move(list), skipped);
    }
    log::info("passwork", "synced " + std::to_string(count) + " entries, skipped " + std::to_string(skipped));
    report_sync_complete(progress, done, total, count, skipped);
    return count;
}

Result<Credential> PassworkBackend::decrypt(std::string_view id) {
    std::lock_guard lock(mu_);
    const auto found = find_record_locked(id, kNoSuchEntry);
    if (!found) {
        return std::unexpected(found.error());
    }
    const Record& record = **found;
    const auto key = vault_->group_keys.find(record.group_id);
    if (key == vault_->group_keys.end()) {
        return std::unexpected(unreadable_entry());
    }
    auto password = decode(record.crypted_password, key->second.span(), vault_->encryption);
    if (!password) {
        return std::unexpected(unreadable_entry());
    }
    Credential out =
        credential_of(record.summary, std::move(*password), SecretBuffer::copy_of(record.description));
    // Custom fields (name and value under the vault password); the TOTP one is totp()'s.
    for (const auto& field : record.custom) {
        if (is_totp_type(field.type)) {
            continue;
        }
        auto name = decode(field.name, key->second.span(), vault_->encryption);
        auto value = decode(field.value, key->second.span(), vault_->encryption);
        if (!name || !value) {
            return std::unexpected(unreadable_entry());
        }
        out.fields.push_back(Field{std::string(name->view()), std::move(*value), field.type == "password"});
    }
    return out;
}

Result<TotpSource> PassworkBackend::totp(std::string_view id) {
    SecretBuffer text;
    {
        std::lock_guard lock(mu_);
        const auto found = find_record_locked(id, kNoSuchEntry);
        if (!found) {
            return std::unexpected(found.error());
        }
        const Record& record = **found;
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
    return TotpSource{totp_secret_of(std::move(*parsed))};
}

}  // namespace pah::passwork
