// SPDX-License-Identifier: MIT
// credentials.create / update / delete for PassAgent: always v3 (a fresh random item key
// under the vault key, the entry's JSON under the item key, that JSON only ever in locked
// memory), and the open vault updated at once so that match and list see the change
// without a sync.
#include "backends/passagent/backend.hpp"

#include <utility>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/plaintext.hpp"
#include "backends/passagent/vault_state.hpp"
#include "crypto/crypto_error.hpp"
#include "crypto/random.hpp"
#include "match/url.hpp"

namespace pah::passagent {

using nlohmann::json;

struct PassAgentBackend::Written {
    GcmBox wrapped_item_key;
    GcmBox encrypted_data;
};

namespace {

Error received_share() {
    return {ErrorCode::Forbidden,
            "This entry was shared with you; only its owner can change it. Ask them, or save a copy as your own."};
}

// `entry` when this account owns it: a received share is FORBIDDEN to change here.
Result<VaultEntry> owned(Result<VaultEntry> entry) {
    if (entry && (entry->record->kind() == RecordKind::Shared || entry->summary->share)) {
        return std::unexpected(received_share());
    }
    return entry;
}

std::vector<Field> copy_fields(const std::vector<Field>& fields) {
    std::vector<Field> out;
    out.reserve(fields.size());
    for (const auto& field : fields) {
        out.push_back(Field{field.name, SecretBuffer::copy_of(field.value.span()), field.hidden});
    }
    return out;
}

// The draft over `base`: what the draft sets wins.
void apply_draft(const ItemDraft& draft, Credential& base) {
    if (draft.username) {
        base.username = *draft.username;
    }
    if (draft.password) {
        base.password = SecretBuffer::copy_of(draft.password->span());
    }
    if (draft.notes) {
        base.notes = SecretBuffer::copy_of(draft.notes->span());
    }
    if (draft.fields) {
        base.fields = copy_fields(*draft.fields);
    }
    if (draft.url) {
        if (draft.url->empty()) {
            base.urls.clear();
        } else if (base.urls.empty()) {
            base.urls.push_back(*draft.url);
        } else {
            base.urls.front() = *draft.url;
        }
    }
}

// name, url and website as the record shows them in clear.
void put_clear_fields(json& body, const ItemDraft& draft) {
    if (draft.name) {
        body["name"] = *draft.name;
    }
    if (draft.url) {
        if (draft.url->empty()) {
            body["url"] = nullptr;
            body["website"] = nullptr;
        } else {
            body["url"] = *draft.url;
            if (auto parsed = match::parse_url(*draft.url); parsed && !parsed->host.empty()) {
                body["website"] = parsed->host;
            }
        }
    }
}

EncryptedRecord copy_of(const EncryptedRecord& record) {
    return EncryptedRecord::from_bytes(record.kind(), record.first_size(), record.second_size(),
                                       record.bytes());
}

std::string updated_at_of(const json& record) {
    const auto it = record.find("updated_at");
    return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<PassAgentBackend::Written> PassAgentBackend::seal_entry(const Credential& credential, std::uint64_t& epoch) {
    std::lock_guard lock(mu_);
    if (!logged_in_) {
        return std::unexpected(not_logged_in());
    }
    if (!unlocked_ || !vault_) {
        return std::unexpected(locked_error());
    }
    epoch = epoch_;
    const SecretBuffer item_key = random_secret(kGcmKeySize);
    auto wrapped = gcm_seal(vault_->key.span(), item_key.span());
    if (!wrapped) {
        return std::unexpected(to_error(wrapped.error()));
    }
    const SecretBuffer plaintext = item_plaintext_json(credential);
    auto data = gcm_seal(item_key.span(), plaintext.span());
    if (!data) {
        return std::unexpected(to_error(data.error()));
    }
    return Written{std::move(*wrapped), std::move(*data)};
}

Result<ItemSummary> PassAgentBackend::keep_written(const json& reply, std::string username, std::uint64_t epoch) {
    const json& data = reply.is_object() && reply.contains("data") ? reply["data"] : reply;
    auto parsed = parse_record(data);
    if (!parsed) {
        return fail(ErrorCode::BadFormat,
                    "PassAgent saved the entry but answered with a record the host cannot read. Sync to see it.");
    }
    parsed->summary.username = std::move(username);
    ItemSummary summary = parsed->summary;
    std::shared_ptr<const ItemList> old_items;
    std::lock_guard lock(mu_);
    if (epoch_ != epoch || !vault_ || !unlocked_ || !items_) {
        return summary;  // locked meanwhile: the next unlock lists it
    }
    auto list = std::make_shared<ItemList>(*items_);
    std::size_t at = list->size();
    if (const auto entry = vault_->find(items_.get(), summary.id); entry) {
        at = static_cast<std::size_t>(entry->summary - items_->data());
    }
    if (vault_->listing) {
        vault_->changes.push_back(LocalChange{LocalChange::Kind::Upsert, summary.id, summary,
                                              copy_of(parsed->sealed), std::nullopt});
    }
    if (at < list->size()) {
        (*list)[at] = summary;
        vault_->records[at] = std::move(parsed->sealed);
    } else {
        list->push_back(summary);
        vault_->records.push_back(std::move(parsed->sealed));
    }
    vault_->by_id = index_by_id(*list, vault_->records);
    old_items = std::exchange(items_, std::move(list));
    return summary;
}

void PassAgentBackend::forget_entry(std::string_view id) {
    std::shared_ptr<const ItemList> old_items;
    std::lock_guard lock(mu_);
    if (!vault_ || !unlocked_ || !items_) {
        return;
    }
    const auto entry = vault_->find(items_.get(), id);
    if (!entry) {
        return;
    }
    const auto at = static_cast<std::ptrdiff_t>(entry->summary - items_->data());
    auto list = std::make_shared<ItemList>(*items_);
    list->erase(list->begin() + at);
    vault_->records.erase(vault_->records.begin() + at);
    vault_->by_id = index_by_id(*list, vault_->records);
    vault_->totp.erase(std::string(id));
    if (vault_->listing) {
        vault_->changes.push_back(
            LocalChange{LocalChange::Kind::Remove, std::string(id), {}, {}, std::nullopt});
    }
    old_items = std::exchange(items_, std::move(list));
}

Result<ItemSummary> PassAgentBackend::send_entry(std::string_view method, const std::string& path,
                                                 const ItemDraft& draft, const Credential& credential) {
    std::uint64_t epoch = 0;
    auto sealed = seal_entry(credential, epoch);  // a fresh item key every time: a v2 entry becomes v3
    if (!sealed) {
        return std::unexpected(sealed.error());
    }
    json body = json::object();
    put_clear_fields(body, draft);
    body["wrapped_item_key"] = to_json(sealed->wrapped_item_key);
    body["encrypted_data"] = to_json(sealed->encrypted_data);
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto reply = (*api)->request(method, path, body);
    if (!reply) {
        return std::unexpected(seen(reply.error()));
    }
    auto kept = keep_written(*reply, credential.username, epoch);
    if (kept) {
        request_copy_save();  // after the reply; an offline unlock right after sees it too
    }
    return kept;
}

Result<ItemSummary> PassAgentBackend::create_item(const ItemDraft& draft) {
    Credential credential;
    apply_draft(draft, credential);
    return send_entry("POST", "/passwords", draft, credential);
}

Result<ItemSummary> PassAgentBackend::update_item(std::string_view id, const ItemDraft& draft) {
    Credential current;
    {
        std::lock_guard lock(mu_);
        auto entry = owned(find_locked(id));
        if (!entry) {
            return std::unexpected(entry.error());
        }
        auto opened = open_record(*entry->record, *entry->summary, vault_->keys(nullptr));
        if (!opened) {
            return std::unexpected(opened.error());
        }
        current = std::move(*opened);
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    if (draft.expected_updated_at) {
        // Read the entry first: a change made elsewhere since the caller saw it wins.
        auto fresh = (*api)->get_password(id);
        if (!fresh) {
            return std::unexpected(seen(fresh.error()));
        }
        const std::string at = updated_at_of(*fresh);
        if (at != *draft.expected_updated_at) {
            return fail(ErrorCode::Conflict,
                        "This entry was changed elsewhere since you opened it, so your change was not saved. "
                        "Open it again and redo the change.",
                        {{"updatedAt", at}});
        }
        // Build on what the server holds now.
        auto parsed = parse_record(*fresh);
        if (parsed && parsed->sealed.kind() != RecordKind::Shared) {
            std::lock_guard lock(mu_);
            if (!unlocked_ || !vault_) {
                return std::unexpected(locked_error());
            }
            if (auto opened = open_record(parsed->sealed, parsed->summary, vault_->keys(nullptr)); opened) {
                current = std::move(*opened);
            }
        }
    }
    apply_draft(draft, current);
    return send_entry("PATCH", "/passwords/" + segment(id), draft, current);
}

Result<void> PassAgentBackend::remove_item(std::string_view id) {
    {
        std::lock_guard lock(mu_);
        auto entry = owned(find_locked(id));
        if (!entry) {
            return std::unexpected(entry.error());
        }
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto reply = (*api)->request("DELETE", "/passwords/" + segment(id));
    if (!reply) {
        return std::unexpected(seen(reply.error()));
    }
    forget_entry(id);
    request_copy_save();
    return {};
}

}  // namespace pah::passagent
