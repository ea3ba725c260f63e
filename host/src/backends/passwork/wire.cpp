// SPDX-License-Identifier: MIT
#include "backends/passwork/wire.hpp"

#include <optional>

#include "backends/common.hpp"
#include "crypto/encoding.hpp"
#include "text/json_reader.hpp"

namespace pah::passwork {

using nlohmann::json;

namespace {

Error bad_reply(std::string_view what) {
    return {ErrorCode::BadFormat, "The Passwork server sent a reply this host cannot read (" + std::string(what) +
                                      "). Check that the address is a Passwork server with the API enabled."};
}

bool usable_id(const json& object, const char* key, std::string& out) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        return false;
    }
    const auto& id = it->get_ref<const std::string&>();
    if (id.empty() || id.size() > kMaxIdBytes) {
        return false;
    }
    out = id;
    return true;
}

bool is_hex(std::string_view text) {
    for (const char c : text) {
        if (hex_digit_value(c) < 0) {
            return false;
        }
    }
    return true;
}

// Depth-first over `categories`, parents before their children.
bool collect_folders(const json& categories, std::size_t depth, std::vector<std::string>& out) {
    if (categories.is_null()) {
        return true;
    }
    if (!categories.is_array() || depth > kMaxFolderDepth) {
        return false;
    }
    for (const auto& folder : categories) {
        if (!folder.is_object()) {
            continue;
        }
        std::string id;
        if (!usable_id(folder, "id", id)) {
            continue;
        }
        if (out.size() >= kMaxFolders) {
            return false;
        }
        out.push_back(std::move(id));
        if (const auto children = folder.find("categories"); children != folder.end()) {
            if (!collect_folders(*children, depth + 1, out)) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

Result<json> parse_reply(std::string_view body) {
    json reply = text::parse_json(body);
    if (reply.is_discarded()) {
        return std::unexpected(bad_reply("not JSON"));
    }
    if (!reply.is_object() || !reply.contains("response")) {
        return std::unexpected(bad_reply("no \"response\""));
    }
    json& response = reply["response"];
    if (!(response.is_boolean() && !response.get<bool>())) {
        return std::move(response);
    }
    std::string code;
    if (const auto it = reply.find("errorCode"); it != reply.end() && it->is_string()) {
        code = it->get<std::string>();
    }
    std::string said;
    if (const auto it = reply.find("errorMessage"); it != reply.end() && it->is_string()) {
        said = it->get<std::string>().substr(0, 200);
    }
    json extra = {{"errorCode", code.substr(0, 64)}};
    if (code == "expired") {
        return fail(ErrorCode::NotLoggedIn, "The Passwork session has expired.", std::move(extra));
    }
    if (code == "ban") {
        return fail(ErrorCode::Forbidden,
                    "Passwork has blocked this user after repeated failed sign-ins. Wait, or ask your Passwork "
                    "administrator.",
                    std::move(extra));
    }
    if (code == "notFound") {
        return fail(ErrorCode::NotFound, "Passwork has no such vault or folder for this user. Sync and try again.",
                    std::move(extra));
    }
    return fail(ErrorCode::Server,
                "Passwork refused the request" + (said.empty() ? std::string(".") : ": " + said), std::move(extra));
}

Result<SessionReply> parse_session(const json& response) {
    if (!response.is_object()) {
        return std::unexpected(bad_reply("the session is not an object"));
    }
    SessionReply out;
    const auto code = response.find("code");
    if (code == response.end() || !code->is_string() || code->get_ref<const std::string&>().empty() ||
        code->get_ref<const std::string&>().size() > kMaxSessionCodeBytes) {
        return std::unexpected(bad_reply("no session code"));
    }
    out.code = code->get<std::string>();
    auto hash = text_or_empty(response, "hash");
    if (!hash || !(hash->empty() || ((hash->size() == 32 || hash->size() == 64) && is_hex(*hash)))) {
        return std::unexpected(bad_reply("the master password hash is not sha256 or md5 hex"));
    }
    out.hash = std::move(*hash);
    return out;
}

namespace {

// One vault of getGroups; nullopt for one this host cannot use.
Result<std::optional<Group>> read_group(const json& entry) {
    Group group;
    if (!usable_id(entry, "id", group.id) && !usable_id(entry, "groupId", group.id)) {
        return std::nullopt;
    }
    auto name = text_or_empty(entry, "name");
    auto scope = text_or_empty(entry, "scope");
    auto crypted = text_or_empty(entry, "passwordCrypted");
    auto domain = text_or_empty(entry, "domainMaster");
    if (!name || !scope || !crypted || !domain) {
        return std::nullopt;
    }
    group.name = std::move(*name);
    group.domain = *scope == "domain" || (scope->empty() && !domain->empty());
    group.password_crypted = std::move(*crypted);
    group.domain_master = std::move(*domain);
    if (const auto categories = entry.find("categories"); categories != entry.end()) {
        if (!collect_folders(*categories, 0, group.folders)) {
            return std::unexpected(bad_reply("the folder tree of \"" + group.name.substr(0, 64) +
                                             "\" is too deep or too large"));
        }
    }
    return group;
}

}  // namespace

Result<std::vector<Group>> parse_groups(const json& response) {
    return read_reply_list<Group>(response, kMaxGroups, "vault", bad_reply, read_group);
}

Result<PasswordList> parse_passwords(const json& response) {
    if (auto list = check_reply_list(response, kMaxPasswords, "password", bad_reply); !list) {
        return std::unexpected(list.error());
    }
    PasswordList out;
    out.passwords.reserve(response.size());
    for (const auto& entry : response) {
        RawPassword password;
        if (!entry.is_object() || !usable_id(entry, "id", password.id)) {
            ++out.malformed;
            continue;
        }
        bool ok = read_text_fields(entry, {{"name", &password.name},
                                           {"login", &password.login},
                                           {"url", &password.url},
                                           {"description", &password.description},
                                           {"cryptedPassword", &password.crypted_password}});
        if (const auto custom = entry.find("custom"); ok && custom != entry.end() && !custom->is_null()) {
            if (!custom->is_array() || custom->size() > kMaxCustomFields) {
                ok = false;
            } else {
                for (const auto& item : *custom) {
                    if (!item.is_object()) {
                        ok = false;
                        break;
                    }
                    auto name = text_or_empty(item, "name");
                    auto value = text_or_empty(item, "value");
                    auto type = text_or_empty(item, "type");
                    if (!name || !value || !type) {
                        ok = false;
                        break;
                    }
                    password.custom.push_back({std::move(*name), std::move(*value), std::move(*type)});
                }
            }
        }
        if (!ok) {
            ++out.malformed;
            continue;
        }
        out.passwords.push_back(std::move(password));
    }
    return out;
}

}  // namespace pah::passwork
