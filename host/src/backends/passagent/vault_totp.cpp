// SPDX-License-Identifier: MIT
// totp.set and totp.delete: an entry's TOTP secret, encrypted here (zero-trust).
#include "backends/passagent/backend.hpp"
#include "backends/passagent/vault_state.hpp"
#include "crypto/encoding.hpp"
#include "http/client.hpp"
#include "protocol/params.hpp"
#include "totp/otpauth.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

// PassAgent spells the algorithms with a dash (seed 002: "SHA-1").
std::string wire_algorithm(TotpAlgorithm algorithm) {
    switch (algorithm) {
        case TotpAlgorithm::Sha256: return "SHA-256";
        case TotpAlgorithm::Sha512: return "SHA-512";
        case TotpAlgorithm::Sha1: break;
    }
    return "SHA-1";
}

// The summary snapshot with one entry's has_totp changed (under mu_). A copy in the same
// order, so that the vault's records and by-id index still line up with it.
std::shared_ptr<const ItemList> with_totp_flag(const std::shared_ptr<const ItemList>& items, std::string_view id,
                                               bool has_totp) {
    if (!items) {
        return items;
    }
    auto copy = std::make_shared<ItemList>(*items);
    for (auto& item : *copy) {
        if (item.id == id) {
            item.has_totp = has_totp;
        }
    }
    return copy;
}

}  // namespace

Result<json> PassAgentBackend::totp_set(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = params::required_id(params, "id");
    auto secret = params::optional_secret(request, "secret");
    auto uri = params::optional_secret(request, "otpauthUri");
    auto algorithm = params::optional_string(params, "algorithm");
    auto digits = params::optional_int(params, "digits", 6, 8);
    auto period = params::optional_int(params, "period", 1, 3600);
    if (const Error* error = params::first_error(id, secret, uri, algorithm, digits, period)) {
        return std::unexpected(*error);
    }
    const SecretBuffer* input = *uri != nullptr ? *uri : *secret;
    if (input == nullptr || input->empty()) {
        return fail(ErrorCode::BadRequest, "Give the TOTP secret (base32) or its otpauth:// link.",
                    {{"field", "secret"}});
    }
    auto parsed = parse_totp_input(input->view());
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (algorithm->has_value()) {
        auto alg = parse_totp_algorithm(**algorithm);
        if (!alg) {
            return std::unexpected(params::bad_field("algorithm", "The algorithm is SHA1, SHA256 or SHA512."));
        }
        parsed->params.algorithm = *alg;
    }
    if (digits->has_value()) {
        parsed->params.digits = static_cast<unsigned>(**digits);
    }
    if (period->has_value()) {
        parsed->params.period_seconds = static_cast<std::uint32_t>(**period);
    }

    GcmBox sealed;
    {
        std::lock_guard lock(mu_);
        auto entry = find_locked(*id);
        if (!entry) {
            return std::unexpected(entry.error());
        }
        if (entry->record->kind() == RecordKind::Shared) {
            return fail(ErrorCode::Forbidden, "Only the owner of an entry can set its one-time code.");
        }
        // The server stores the base32 text (what PassAgent's own clients encrypt).
        std::string text = base32_encode(parsed->key.span(), false);
        auto box = gcm_seal(vault_->key.span(), as_bytes(text));
        http::wipe(text);
        if (!box) {
            return std::unexpected(to_error(box.error()));
        }
        sealed = std::move(*box);
    }
    const std::string wire_alg = wire_algorithm(parsed->params.algorithm);
    const json body{{"secretEncrypted", to_json(sealed)},
                    {"algorithm", wire_alg},
                    {"digits", parsed->params.digits},
                    {"period", parsed->params.period_seconds}};
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    if (auto stored = (*api)->set_totp(*id, body); !stored) {
        return std::unexpected(stored.error());
    }
    {
        std::lock_guard lock(mu_);
        if (unlocked_ && vault_) {
            TotpConfig config;
            config.has_totp = true;
            config.zero_trust = true;
            config.secret_encrypted = Box{sealed.iv, sealed.ciphertext};
            config.algorithm = std::string(totp_algorithm_name(parsed->params.algorithm));
            config.digits = static_cast<int>(parsed->params.digits);
            config.period = static_cast<int>(parsed->params.period_seconds);
            if (vault_->listing) {
                vault_->changes.push_back(LocalChange{LocalChange::Kind::Totp, *id, {}, {}, config});
            }
            vault_->totp.insert_or_assign(*id, std::move(config));
            items_ = with_totp_flag(items_, *id, true);
        }
    }
    request_copy_save();  // after the reply, like an entry's write
    return json{{"id", *id},
                {"zeroTrust", true},
                {"algorithm", std::string(totp_algorithm_name(parsed->params.algorithm))},
                {"digits", parsed->params.digits},
                {"period", parsed->params.period_seconds}};
}

Result<json> PassAgentBackend::totp_delete(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = params::required_id(params, "id");
    if (!id) {
        return std::unexpected(id.error());
    }
    {
        std::lock_guard lock(mu_);
        if (auto record = find_locked(*id); !record) {
            return std::unexpected(record.error());
        }
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    if (auto removed = (*api)->delete_totp(*id); !removed) {
        if (removed.error().code == ErrorCode::NotFound) {
            return fail(ErrorCode::NoTotp, "This entry has no one-time code to remove.");
        }
        return std::unexpected(removed.error());
    }
    {
        std::lock_guard lock(mu_);
        if (unlocked_ && vault_) {
            if (vault_->listing) {
                vault_->changes.push_back(LocalChange{LocalChange::Kind::Totp, *id, {}, {}, TotpConfig{}});
            }
            vault_->totp.insert_or_assign(*id, TotpConfig{});
            items_ = with_totp_flag(items_, *id, false);
        }
    }
    request_copy_save();
    return json{{"id", *id}, {"deleted", true}};
}

}  // namespace pah::passagent
