// SPDX-License-Identifier: MIT
// A Passman sync: the vault's credentials, opened in batches, swapped in at the end.
#include "backends/passman/backend.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

#include "backends/passman/vault_state.hpp"
#include "crypto/sjcl.hpp"
#include "log/log.hpp"
#include "protocol/envelope.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

// Credentials opened per hold of the mutex during a sync: lock() never waits long.
constexpr std::size_t kBatch = 64;

// A decrypted string field as text for a summary (usernames and URLs are not secrets).
std::string to_text(const SecretBuffer& buffer) { return std::string(buffer.view()); }

// A credential's summary fields opened (the rest stays encrypted); nothing when they do
// not open. Takes the encrypted fields out of `raw`.
std::optional<Record> open_credential(Vault& vault, RawCredential& raw) {
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
        return std::nullopt;
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
    record.custom_fields = std::move(raw.custom_fields);
    record.summary.updated_at = std::move(raw.changed);
    record.shared_key = std::move(raw.shared_key);
    return record;
}

}  // namespace

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
                auto record = open_credential(vault, raw);
                if (!record) {
                    ++skipped;
                    log::info("passman", "entry " + raw.guid + " cannot be opened; skipped");
                    continue;
                }
                ++opened;
                std::string id = record->summary.id;
                records.insert_or_assign(std::move(id), std::move(*record));
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

}  // namespace pah::passman
