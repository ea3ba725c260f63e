// SPDX-License-Identifier: MIT
// One entry for one request: its credential, its TOTP source, a received share's view log.
#include "backends/passagent/backend.hpp"

#include <utility>

#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "crypto/encoding.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

Error no_totp() { return {ErrorCode::NoTotp, "This entry has no one-time code."}; }

}  // namespace

Result<VaultEntry> PassAgentBackend::find_locked(std::string_view id) const {
    if (!logged_in_) {
        return std::unexpected(not_logged_in());
    }
    if (!unlocked_ || !vault_) {
        return std::unexpected(locked_error());
    }
    auto entry = vault_->find(items_.get(), id);
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

Result<TotpConfig> PassAgentBackend::totp_config(std::string_view id) {
    {
        std::lock_guard lock(mu_);
        auto entry = find_locked(id);
        if (!entry) {
            return std::unexpected(entry.error());
        }
        if (!entry->summary->has_totp && entry->record->kind() != RecordKind::Shared) {
            return std::unexpected(no_totp());
        }
        if (const auto it = vault_->totp.find(std::string(id)); it != vault_->totp.end()) {
            return it->second;
        }
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto config = (*api)->totp_config(id);
    if (!config) {
        if (config.error().code == ErrorCode::NotFound) {
            return std::unexpected(no_totp());
        }
        return std::unexpected(seen(config.error()));
    }
    std::lock_guard lock(mu_);
    if (unlocked_ && vault_) {
        vault_->totp.insert_or_assign(std::string(id), *config);
    }
    return config;
}

// A zero-trust secret, opened under the vault key now (A9: base32 text).
Result<TotpSource> PassAgentBackend::open_totp_secret(const TotpConfig& config) {
    SecretBuffer text;
    {
        std::lock_guard lock(mu_);
        if (!unlocked_ || !vault_) {
            return std::unexpected(locked_error());
        }
        auto opened = gcm_open(vault_->key.span(), to_gcm_box(*config.secret_encrypted));
        if (!opened) {
            return fail(ErrorCode::BadFormat, "This entry's TOTP secret does not open with your vault key.");
        }
        text = std::move(*opened);
    }
    auto key = base32_decode_secret(text.view());
    if (!key || key->empty()) {
        return fail(ErrorCode::BadFormat, "This entry's TOTP secret is not base32.");
    }
    return TotpSource{TotpSecret{std::move(*key), config.algorithm, config.digits, config.period}};
}

Result<TotpSource> PassAgentBackend::totp(std::string_view id) {
    auto config = totp_config(id);
    if (!config) {
        return std::unexpected(config.error());
    }
    if (!config->has_totp) {
        return std::unexpected(no_totp());
    }
    if (config->zero_trust && config->secret_encrypted) {
        return open_totp_secret(*config);
    }
    // Legacy entries: the server computes the code.
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto code = (*api)->totp_code(id);
    if (!code) {
        if (code.error().code == ErrorCode::NotFound) {
            return std::unexpected(no_totp());
        }
        return std::unexpected(seen(code.error()));
    }
    return TotpSource{pah::ServerTotpCode{code->code, code->remaining, config->period, config->digits, config->algorithm}};
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

}  // namespace pah::passagent
