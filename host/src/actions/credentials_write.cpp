// SPDX-License-Identifier: MIT
// credentials.create, credentials.update, credentials.delete: the backend encrypts and
// writes; its open vault holds the change when it answers.
#include "actions/actions.hpp"
#include "actions/common.hpp"
#include "actions/summary.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxFields = 100;
constexpr std::size_t kMaxText = std::size_t{64} * 1024;

Result<std::optional<std::string>> text_param(const json& params, std::string_view field) {
    auto value = params::optional_string(params, field);
    if (value && value->has_value() && (*value)->size() > kMaxText) {
        return std::unexpected(params::bad_field(field, "params." + std::string(field) + " is longer than 64 KiB."));
    }
    return value;
}

// A secret param (password, notes) as the request parser left it: in locked memory.
Result<std::optional<SecretBuffer>> secret_param(const Params& params, std::string_view field) {
    auto value = params::optional_secret(params, field);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (*value == nullptr) {
        return std::optional<SecretBuffer>{};
    }
    if ((*value)->size() > kMaxText) {
        return std::unexpected(
            params::bad_field(field, "params." + std::string(field) + " is longer than 64 KiB."));
    }
    return std::optional<SecretBuffer>{SecretBuffer::copy_of((*value)->view())};
}

Result<std::optional<std::vector<Field>>> fields_param(const json& params) {
    const auto it = params.find("fields");
    if (it == params.end() || it->is_null()) {
        return std::optional<std::vector<Field>>{};
    }
    auto bad = [] {
        return params::bad_field("fields", "params.fields must be a list of {name, value, hidden} objects (at most 100).");
    };
    if (!it->is_array() || it->size() > kMaxFields) {
        return std::unexpected(bad());
    }
    std::vector<Field> out;
    for (const auto& raw : *it) {
        if (!raw.is_object() || !raw.contains("name") || !raw["name"].is_string() || !raw.contains("value") ||
            !raw["value"].is_string() || (raw.contains("hidden") && !raw["hidden"].is_boolean())) {
            return std::unexpected(bad());
        }
        const auto& name = raw["name"].get_ref<const std::string&>();
        const auto& value = raw["value"].get_ref<const std::string&>();
        if (name.empty() || name.size() > kMaxText || value.size() > kMaxText) {
            return std::unexpected(bad());
        }
        out.push_back(Field{name, SecretBuffer::copy_of(std::string_view(value)), raw.value("hidden", false)});
    }
    return std::optional<std::vector<Field>>{std::move(out)};
}

Result<ItemDraft> read_draft(const Params& secrets, bool create) {
    const json& params = secrets.json();
    ItemDraft draft;
    if (create) {
        auto name = params::required_string(params, "name");
        if (!name) {
            return std::unexpected(name.error());
        }
        draft.name = std::move(*name);
    } else {
        auto name = text_param(params, "name");
        if (!name) {
            return std::unexpected(name.error());
        }
        draft.name = std::move(*name);
    }
    if (draft.name && (draft.name->empty() || draft.name->size() > 1024)) {
        return std::unexpected(params::bad_field("name", "params.name must be 1 to 1024 characters."));
    }
    for (auto [field, slot] : {std::pair{"url", &draft.url}, std::pair{"username", &draft.username},
                               std::pair{"expectedUpdatedAt", &draft.expected_updated_at}}) {
        auto value = text_param(params, field);
        if (!value) {
            return std::unexpected(value.error());
        }
        *slot = std::move(*value);
    }
    if (create && draft.expected_updated_at) {
        return std::unexpected(params::bad_field("expectedUpdatedAt", "params.expectedUpdatedAt is for credentials.update only."));
    }
    auto password = secret_param(secrets, "password");
    if (!password) {
        return std::unexpected(password.error());
    }
    draft.password = std::move(*password);
    auto notes = secret_param(secrets, "notes");
    if (!notes) {
        return std::unexpected(notes.error());
    }
    draft.notes = std::move(*notes);
    auto fields = fields_param(params);
    if (!fields) {
        return std::unexpected(fields.error());
    }
    draft.fields = std::move(*fields);
    return draft;
}

// params.id's entry, when it is the user's own: a received share is FORBIDDEN.
Result<UnlockedEntry> own_entry(Services& services, const json& params) {
    auto entry = unlocked_entry(services, params);
    if (entry && entry->item->share) {
        return fail(ErrorCode::Forbidden,
                    "This entry was shared with you; only its owner can change it. Ask them, or save a copy "
                    "as your own.");
    }
    return entry;
}

Result<json> item_reply(const std::string& account, const Result<ItemSummary>& item) {
    if (!item) {
        return std::unexpected(item.error());
    }
    return json{{"item", summary_json(account, *item)}};
}

Result<json> create_credential(Services& services, RequestContext& ctx) {
    auto draft = read_draft(ctx.params(), true);
    if (!draft) {
        return std::unexpected(draft.error());
    }
    auto account = unlocked_account(services, ctx.params().json());
    if (!account) {
        return std::unexpected(account.error());
    }
    return item_reply(account->ref.id, account->ref.backend->create_item(*draft));
}

Result<json> update_credential(Services& services, RequestContext& ctx) {
    auto draft = read_draft(ctx.params(), false);
    if (!draft) {
        return std::unexpected(draft.error());
    }
    auto entry = own_entry(services, ctx.params().json());
    if (!entry) {
        return std::unexpected(entry.error());
    }
    const std::string id = entry->item->id;
    return item_reply(entry->account.ref.id, entry->account.ref.backend->update_item(id, *draft));
}

Result<json> delete_credential(Services& services, RequestContext& ctx) {
    auto entry = own_entry(services, ctx.params().json());
    if (!entry) {
        return std::unexpected(entry.error());
    }
    const std::string id = entry->item->id;
    if (auto removed = entry->account.ref.backend->remove_item(id); !removed) {
        return std::unexpected(removed.error());
    }
    return json{{"id", id}, {"deleted", true}};
}

}  // namespace

void register_credentials_write(Dispatcher& dispatcher, Services& services) {
    dispatcher.add("credentials.create",
                   {.handler = [&services](RequestContext& ctx) { return create_credential(services, ctx); }});
    dispatcher.add("credentials.update",
                   {.handler = [&services](RequestContext& ctx) { return update_credential(services, ctx); }});
    dispatcher.add("credentials.delete",
                   {.handler = [&services](RequestContext& ctx) { return delete_credential(services, ctx); }});
}

}  // namespace pah::actions
