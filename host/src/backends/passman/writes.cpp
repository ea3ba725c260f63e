// SPDX-License-Identifier: MIT
// credentials.create / update / delete for Passman, the way Passman's web client writes:
// every field its document lists as encrypted is sjcl-encrypted (a fresh salt and IV for
// every value) under the vault key, or under the credential's share key; label and
// vault_id go in clear. Passman's PATCH replaces the whole credential, so an update sends
// all of it: the credential as the server holds it, with the changed fields re-encrypted.
// Delete is the trash (delete_time = now), as the web client does it.
#include "backends/passman/backend.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <utility>

#include "backends/passman/sealing.hpp"
#include "backends/passman/vault_state.hpp"
#include "crypto/crypto_error.hpp"
#include "crypto/sjcl.hpp"
#include "http/url.hpp"
#include "log/log.hpp"
#include "text/json_reader.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

std::string text_of(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string changed_of(const json& object) {
    const auto it = object.find("changed");
    if (it != object.end() && it->is_number_integer()) {
        return std::to_string(it->get<std::int64_t>());
    }
    if (it != object.end() && it->is_string()) {
        return it->get<std::string>();
    }
    return {};
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Error not_in_vault() {
    return {ErrorCode::NotFound, "Passman no longer has this credential. Sync and try again.", {{"field", "id"}}};
}

}  // namespace

// ---- PassmanApi (the write routes)

Result<json> PassmanApi::vault_json(std::string_view guid) {
    auto body = get(guid.empty() ? std::string("/vaults") : "/vaults/" + http::percent_encode(guid));
    if (!body) {
        return std::unexpected(body.error());
    }
    json reply = text::parse_json(*body);
    if (reply.is_discarded()) {
        return fail(ErrorCode::BadFormat, "Passman answered with something that is not JSON.");
    }
    return reply;
}

Result<json> PassmanApi::send_credential(std::string_view method, const std::string& path, const std::string& body) {
    http::HttpRequest request;
    request.method = std::string(method);
    request.url = api_base_ + path;
    request.headers = {"Accept: application/json", "Content-Type: application/json", "OCS-APIRequest: true"};
    std::string authorization;
    authorization.reserve(std::string_view("Authorization: ").size() + authorization_.size());
    authorization.append("Authorization: ").append(authorization_.view());
    request.headers.push_back(std::move(authorization));
    request.body = body;
    auto response = client_->send(request);
    if (!response) {
        return std::unexpected(response.error());
    }
    json reply = text::parse_json(response->body);
    if (response->status == 401 && reply.is_object() && reply.value("msg", "") == "Not authorized") {
        // Passman's answer when no write right allows it: not a refused login.
        return fail(ErrorCode::Forbidden, "Passman does not let you change this credential (it was shared with you "
                                          "read-only). Ask its owner.",
                    {{"status", 401}});
    }
    if (response->status < 200 || response->status >= 300) {
        log::info("passman", std::string(method) + " /credentials -> HTTP " + std::to_string(response->status));
        if (response->status == 400) {
            return fail(ErrorCode::Validation,
                        "Passman refused the credential: " + (reply.is_object() ? reply.value("message", std::string("no reason given")) : std::string("no reason given")),
                        {{"details", json::array({{{"field", "body"}, {"message", reply.is_object() ? reply.value("message", "") : ""}}})}});
        }
        return std::unexpected(passman_status_error(response->status, response->header("retry-after")));
    }
    if (!reply.is_object() || !reply.contains("guid")) {
        return fail(ErrorCode::BadFormat, "Passman saved the credential but answered with something else than it. Sync to see it.");
    }
    return reply;
}

// ---- PassmanBackend

struct PassmanBackend::WriteStart {
    std::shared_ptr<PassmanApi> api;
    std::string guid;
    std::uint64_t epoch = 0;
};

Result<PassmanBackend::WriteStart> PassmanBackend::start_write(std::optional<std::string_view> id) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    WriteStart start;
    start.api = std::move(*api);
    std::lock_guard lock(mu_);
    if (id) {
        if (auto found = find_record_locked(*id, "There is no such entry in this vault. Sync and try again.");
            !found) {
            return std::unexpected(found.error());
        }
    } else if (!unlocked_ || !vault_) {
        return std::unexpected(locked_error());
    }
    start.guid = vault_->guid;
    start.epoch = epoch_;
    return start;
}

// The credential as the server holds it now (every field), from its vault.
Result<json> PassmanBackend::current_credential(PassmanApi& api, std::string_view id, std::string& vault_guid) {
    auto vault = api.vault_json(vault_guid);
    if (!vault) {
        return std::unexpected(seen(vault.error()));
    }
    if (!vault->is_object() || !vault->contains("credentials") || !(*vault)["credentials"].is_array()) {
        return std::unexpected(not_in_vault());
    }
    for (auto& credential : (*vault)["credentials"]) {
        if (credential.is_object() && text_of(credential, "guid") == id) {
            return std::move(credential);
        }
    }
    return std::unexpected(not_in_vault());
}

// Sends `body` and puts what the server stored into the open vault of `epoch`.
Result<ItemSummary> PassmanBackend::write_credential(const std::string& method, const std::string& guid,
                                                     const json& body, const ItemDraft& draft,
                                                     std::uint64_t epoch) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto stored = (*api)->send_credential(method, guid.empty() ? "/credentials" : "/credentials/" + http::percent_encode(guid),
                                          body.dump());
    if (!stored) {
        return std::unexpected(seen(stored.error()));
    }
    Record record;
    record.summary.id = text_of(*stored, "guid");
    record.summary.name = text_of(*stored, "label");
    record.summary.updated_at = changed_of(*stored);
    record.password = text_of(*stored, "password");
    record.description = text_of(*stored, "description");
    record.otp = text_of(*stored, "otp");
    record.custom_fields = text_of(*stored, "custom_fields");
    record.shared_key = text_of(*stored, "shared_key");
    std::shared_ptr<const ItemList> old_items;
    std::lock_guard lock(mu_);
    if (epoch_ != epoch || !vault_ || !unlocked_ || !items_) {
        return record.summary;
    }
    if (const auto old = vault_->records.find(record.summary.id); old != vault_->records.end()) {
        record.summary.username = old->second.summary.username;
        record.summary.url = old->second.summary.url;
        record.summary.website = old->second.summary.website;
        record.summary.has_totp = old->second.summary.has_totp;
    }
    if (draft.username) {
        record.summary.username = *draft.username;
    }
    if (draft.url) {
        record.summary.url = *draft.url;
    }
    auto list = std::make_shared<ItemList>(*items_);
    const auto at = std::find_if(list->begin(), list->end(), [&](const ItemSummary& s) { return s.id == record.summary.id; });
    if (at != list->end()) {
        *at = record.summary;
    } else {
        list->push_back(record.summary);
    }
    ItemSummary out = record.summary;
    vault_->records.insert_or_assign(out.id, std::move(record));
    old_items = std::exchange(items_, std::move(list));
    return out;
}

Result<ItemSummary> PassmanBackend::create_item(const ItemDraft& draft) {
    auto start = start_write(std::nullopt);
    if (!start) {
        return std::unexpected(start.error());
    }
    const std::string& guid = start->guid;
    const std::uint64_t epoch = start->epoch;
    // The vault's numeric id, which POST /credentials takes.
    auto vaults = start->api->vault_json("");
    if (!vaults) {
        return std::unexpected(seen(vaults.error()));
    }
    json vault_id;
    if (vaults->is_array()) {
        for (const auto& vault : *vaults) {
            if (vault.is_object() && text_of(vault, "guid") == guid && vault.contains("vault_id")) {
                vault_id = vault["vault_id"];
            }
        }
    }
    if (vault_id.is_null()) {
        return fail(ErrorCode::NotFound, "Passman no longer lists this vault. Unlock it again.", {{"field", "vault"}});
    }
    ItemDraft full;  // every encrypted field, empty unless the draft sets it
    full.name = draft.name;
    full.username = draft.username.value_or("");
    full.url = draft.url.value_or("");
    full.password = SecretBuffer::copy_of(draft.password ? draft.password->span() : ByteView());
    full.notes = SecretBuffer::copy_of(draft.notes ? draft.notes->span() : ByteView());
    full.fields.emplace();
    if (draft.fields) {
        for (const auto& field : *draft.fields) {
            full.fields->push_back(Field{field.name, SecretBuffer::copy_of(field.value.span()), field.hidden});
        }
    }
    json body{{"vault_id", vault_id}, {"expire_time", 0}, {"delete_time", 0}, {"hidden", 0},
              {"renew_interval", nullptr}, {"icon", nullptr}};
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        const ByteView key = vault_->key.span();
        if (auto sealed = seal_draft(key, full, body); !sealed) {
            return std::unexpected(sealed.error());
        }
        for (const auto& [field, value] : {std::pair{"email", std::string_view("\"\"")}, std::pair{"tags", std::string_view("[]")},
                                           std::pair{"files", std::string_view("[]")}, std::pair{"otp", std::string_view("{}")},
                                           std::pair{"compromised", std::string_view("false")}}) {
            auto sealed = seal(key, ByteView(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
            if (!sealed) {
                return std::unexpected(sealed.error());
            }
            body[field] = std::move(*sealed);
        }
    }
    return write_credential("POST", "", body, full, epoch);
}

Result<ItemSummary> PassmanBackend::update_item(std::string_view id, const ItemDraft& draft) {
    auto start = start_write(id);
    if (!start) {
        return std::unexpected(start.error());
    }
    const std::uint64_t epoch = start->epoch;
    auto current = current_credential(*start->api, id, start->guid);
    if (!current) {
        return std::unexpected(current.error());
    }
    if (draft.expected_updated_at && changed_of(*current) != *draft.expected_updated_at) {
        return fail(ErrorCode::Conflict,
                    "This credential was changed elsewhere since you opened it, so your change was not saved. "
                    "Open it again and redo the change.",
                    {{"updatedAt", changed_of(*current)}});
    }
    json body = std::move(*current);
    {
        std::lock_guard lock(mu_);
        if (epoch_ != epoch || !vault_) {
            return std::unexpected(locked_error());
        }
        SecretBuffer share;
        auto key = vault_->field_key(text_of(body, "shared_key"), share);
        if (!key) {
            return fail(ErrorCode::BadFormat, "This credential's share key does not open with your vault key.");
        }
        if (auto sealed = seal_draft(*key, draft, body); !sealed) {
            return std::unexpected(sealed.error());
        }
    }
    return write_credential("PATCH", std::string(id), body, draft, epoch);
}

Result<void> PassmanBackend::remove_item(std::string_view id) {
    auto start = start_write(id);
    if (!start) {
        return std::unexpected(start.error());
    }
    const auto& api = start->api;
    auto current = current_credential(*api, id, start->guid);
    if (!current) {
        return std::unexpected(current.error());
    }
    json body = std::move(*current);
    body["delete_time"] = now_seconds();  // the trash, as Passman's web client does it
    auto stored = api->send_credential("PATCH", "/credentials/" + http::percent_encode(id), body.dump());
    if (!stored) {
        return std::unexpected(seen(stored.error()));
    }
    std::shared_ptr<const ItemList> old_items;
    std::lock_guard lock(mu_);
    if (vault_ && unlocked_ && items_) {
        vault_->records.erase(std::string(id));
        auto list = std::make_shared<ItemList>();
        list->reserve(items_->size());
        std::copy_if(items_->begin(), items_->end(), std::back_inserter(*list),
                     [&](const ItemSummary& s) { return s.id != id; });
        old_items = std::exchange(items_, std::move(list));
    }
    return {};
}

}  // namespace pah::passman
