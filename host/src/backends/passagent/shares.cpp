// SPDX-License-Identifier: MIT
// shares.list / create / update / accept / delete.
#include "backends/passagent/backend.hpp"

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/plaintext.hpp"
#include "backends/passagent/vault_state.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa_oaep.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

// What a share needs of the entry: its item key and, for a v2 entry (which has none),
// the entry re-encrypted under a fresh one.
struct ShareMaterial {
    SecretBuffer item_key;
    std::optional<GcmBox> encrypted_data;
};

// The share as the extension sees it: never the key fields.
json public_share(json share) {
    if (auto account = share.find("account"); account != share.end() && account->is_object()) {
        account->erase("encrypted_data");
        account->erase("wrapped_item_key");
    }
    share.erase("wrapped_item_key");
    share.erase("wrapped_vault_key_invite");
    share.erase("encrypted_data");
    return share;
}

Result<std::string> required_share_id(const json& params) {
    auto id = params::required_id(params, "shareId");
    if (!id) {
        return std::unexpected(id.error());
    }
    return std::move(*id);
}

}  // namespace

Result<json> PassAgentBackend::shares_list(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto type = params::required_enum(params, "type", {"owned", "received"});
    auto account = params::optional_string(params, "accountId");
    if (const Error* error = params::first_error(type, account)) {
        return std::unexpected(*error);
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto list = (*api)->list_shares(*type, account->value_or(""));
    if (!list) {
        return std::unexpected(list.error());
    }
    json shares = json::array();
    for (auto& share : list->shares) {
        shares.push_back(public_share(std::move(share)));
    }
    return json{{"shares", std::move(shares)}, {"setupRequired", list->setup_required}};
}

Result<json> PassAgentBackend::shares_create(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = params::required_id(params, "id");
    auto email = params::required_string(params, "recipientEmail");
    auto permission = params::optional_string(params, "permission");
    auto expires = params::optional_string(params, "expiresAt");
    if (const Error* error = params::first_error(id, email, permission, expires)) {
        return std::unexpected(*error);
    }
    if (permission->has_value() && **permission != "read" && **permission != "write") {
        return std::unexpected(params::bad_field("permission", "The permission is \"read\" or \"write\"."));
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }

    // 1. The item key (and, for v2, the entry under a new one), under the lock.
    ShareMaterial material;
    {
        std::lock_guard lock(mu_);
        auto found = find_locked(*id);
        if (!found) {
            return std::unexpected(found.error());
        }
        const EncryptedRecord& entry = *found->record;
        if (entry.kind() == RecordKind::Shared) {
            return fail(ErrorCode::Forbidden, "Only the owner of an entry can share it.");
        }
        if (entry.kind() == RecordKind::V3) {
            auto key = open_item_key(entry, vault_->keys(nullptr));
            if (!key) {
                return std::unexpected(key.error());
            }
            material.item_key = std::move(*key);
        } else {
            // A v2 entry has no item key: the recipient gets a copy under a fresh one.
            auto credential = open_record(entry, *found->summary, vault_->keys(nullptr));
            if (!credential) {
                return std::unexpected(credential.error());
            }
            material.item_key = random_secret(kItemKeySize);
            const SecretBuffer plain = item_plaintext_json(*credential);
            auto sealed = gcm_seal(material.item_key.span(), plain.span());
            if (!sealed) {
                return std::unexpected(to_error(sealed.error()));
            }
            material.encrypted_data = std::move(*sealed);
        }
    }

    // 2. Wrap it for the recipient: their public key, or an invite if they have no account.
    json body{{"accountId", *id}, {"recipientEmail", *email}};
    if (permission->has_value()) {
        body["permission"] = **permission;
    }
    if (expires->has_value()) {
        body["expiresAt"] = **expires;
    }
    if (material.encrypted_data) {
        body["encrypted_data"] = to_json(*material.encrypted_data);
    }
    std::optional<std::string> invite_token;
    auto public_key = (*api)->user_public_key(*email);
    if (public_key) {
        auto key = load_public_spki_der(*public_key);
        if (!key) {
            return fail(ErrorCode::BadFormat, "The recipient's public key is unusable: " + key.error().detail + ".");
        }
        auto wrapped = rsa_oaep_sha256_encrypt(*key, material.item_key.span());
        if (!wrapped) {
            return std::unexpected(to_error(wrapped.error()));
        }
        body["wrapped_item_key"] = base64_encode(*wrapped);
    } else if (public_key.error().code == ErrorCode::NotFound) {
        auto invite = make_invite(material.item_key.span());
        if (!invite) {
            return std::unexpected(to_error(invite.error()));
        }
        body["wrapped_vault_key_invite"] = invite->wrapped;
        body["invite_token_salt"] = base64_encode(invite->salt);
        // The token goes to the caller to pass on; the server never sees it.
        invite_token = base64_encode(invite->token.span(), true, false);
    } else {
        return std::unexpected(public_key.error());
    }
    material.item_key.reset();

    auto share = (*api)->create_share(body);
    if (!share) {
        return std::unexpected(share.error());
    }
    log::info("passagent", "share created: " + (*share).value("id", std::string()));
    json out{{"share", public_share(std::move(*share))}, {"invite", invite_token.has_value()}};
    if (invite_token) {
        out["inviteToken"] = std::move(*invite_token);
    }
    return out;
}

Result<json> PassAgentBackend::shares_update(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = required_share_id(params);
    auto status = params::optional_string(params, "status");
    auto permission = params::optional_string(params, "permission");
    if (const Error* error = params::first_error(id, status, permission)) {
        return std::unexpected(*error);
    }
    json body = json::object();
    if (status->has_value()) {
        body["status"] = **status;
    }
    if (permission->has_value()) {
        body["permission"] = **permission;
    }
    if (body.empty()) {
        return fail(ErrorCode::BadRequest, "Say what to change: status or permission.", {{"field", "status"}});
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto reply = (*api)->update_share(*id, body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    json share = reply->is_object() && reply->contains("share") ? (*reply)["share"] : json::object();
    return json{{"share", public_share(std::move(share))}};
}

Result<json> PassAgentBackend::shares_accept(const Params& request, const Progress& progress) {
    const json& params = request.json();
    auto id = required_share_id(params);
    if (!id) {
        return std::unexpected(id.error());
    }
    return shares_update(json{{"shareId", *id}, {"status", "active"}}, progress);
}

Result<json> PassAgentBackend::shares_delete(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = required_share_id(params);
    if (!id) {
        return std::unexpected(id.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    if (auto removed = (*api)->delete_share(*id); !removed) {
        return std::unexpected(removed.error());
    }
    return json{{"shareId", *id}, {"deleted", true}};
}

}  // namespace pah::passagent
