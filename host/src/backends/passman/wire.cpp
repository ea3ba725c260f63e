// SPDX-License-Identifier: MIT
#include "backends/passman/wire.hpp"

#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include "backends/common.hpp"
#include "text/json_reader.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

Error bad_reply(std::string_view what) {
    return {ErrorCode::BadFormat,
            "The Passman server sent a reply this host cannot read (" + std::string(what) +
                "). Check that the address is a Nextcloud server with the Passman app."};
}

// Passman's integer columns arrive as numbers, numeric strings or booleans, depending on
// the database and the version.
std::int64_t loose_int(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end()) {
        return 0;
    }
    if (it->is_boolean()) {
        return it->get<bool>() ? 1 : 0;
    }
    if (it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    if (it->is_number_float()) {
        return it->get<double>() > 0 ? 1 : 0;
    }
    if (it->is_string()) {
        const auto& text = it->get_ref<const std::string&>();
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        return ec == std::errc() && end == text.data() + text.size() ? value : 0;
    }
    return 0;
}

bool usable_guid(const json& object, std::string& out) {
    const auto it = object.find("guid");
    if (it == object.end() || !it->is_string()) {
        return false;
    }
    const auto& guid = it->get_ref<const std::string&>();
    if (guid.empty() || guid.size() > kMaxGuidBytes) {
        return false;
    }
    for (const char c : guid) {
        // Goes into a URL path: letters, digits and dashes, as Passman makes them.
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
        if (!ok) {
            return false;
        }
    }
    out = guid;
    return true;
}

// One vault of GET /vaults; nullopt for one this host cannot use.
Result<std::optional<VaultInfo>> read_vault_info(const json& entry) {
    VaultInfo vault;
    if (!usable_guid(entry, vault.guid)) {
        return std::nullopt;
    }
    auto name = text_or_empty(entry, "name");
    auto challenge = text_or_empty(entry, "challenge_password");
    if (!name || !challenge) {
        return std::nullopt;
    }
    vault.name = std::move(*name);
    vault.challenge = std::move(*challenge);
    return vault;
}

}  // namespace

Result<std::vector<VaultInfo>> parse_vault_list(std::string_view body) {
    const json reply = text::parse_json(body);
    if (reply.is_discarded()) {
        return std::unexpected(bad_reply("not JSON"));
    }
    return read_reply_list<VaultInfo>(reply, kMaxVaults, "vault", bad_reply, read_vault_info);
}

Result<VaultContents> parse_vault(std::string_view body) {
    const json reply = text::parse_json(body);
    if (reply.is_discarded()) {
        return std::unexpected(bad_reply("not JSON"));
    }
    if (reply.is_array() && reply.empty()) {
        return fail(ErrorCode::NotFound, "Passman has no such vault for this user. Choose one of your vaults.",
                    {{"field", "vault"}});
    }
    if (!reply.is_object()) {
        return std::unexpected(bad_reply("the vault is not an object"));
    }
    VaultContents out;
    if (!usable_guid(reply, out.guid)) {
        return std::unexpected(bad_reply("the vault has no guid"));
    }
    if (auto name = text_or_empty(reply, "name")) {
        out.name = std::move(*name);
    }
    const auto list = reply.find("credentials");
    if (list == reply.end() || list->is_null()) {
        return out;
    }
    if (!list->is_array()) {
        return std::unexpected(bad_reply("credentials is not an array"));
    }
    if (list->size() > kMaxCredentials) {
        return std::unexpected(bad_reply("too many credentials"));
    }
    out.credentials.reserve(list->size());
    for (const auto& entry : *list) {
        RawCredential credential;
        if (!entry.is_object() || !usable_guid(entry, credential.guid)) {
            ++out.malformed;
            continue;
        }
        const bool ok = read_text_fields(entry, {
                                                    {"label", &credential.label},
                                                    {"username", &credential.username},
                                                    {"email", &credential.email},
                                                    {"url", &credential.url},
                                                    {"password", &credential.password},
                                                    {"description", &credential.description},
                                                    {"otp", &credential.otp},
                                                    {"shared_key", &credential.shared_key},
                                                    {"custom_fields", &credential.custom_fields},
                                                });
        if (!ok) {
            ++out.malformed;
            continue;
        }
        credential.hidden = loose_int(entry, "hidden") != 0;
        credential.deleted = loose_int(entry, "delete_time") > 0;
        if (const auto changed = loose_int(entry, "changed"); changed > 0) {
            credential.changed = std::to_string(changed);
        }
        out.credentials.push_back(std::move(credential));
    }
    return out;
}

}  // namespace pah::passman
