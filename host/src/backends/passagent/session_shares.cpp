// SPDX-License-Identifier: MIT
// sessionShares.create / update / delete. The host decrypts the credential itself and
// sends it only to the PassAgent server (which stores it encrypted); the extension
// never sees it.
#include "backends/passagent/backend.hpp"
#include "backends/passagent/vault_state.hpp"
#include "http/client.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

// Copies the optional, non-secret fields of sessionShares.create into `body`.
Result<void> copy_options(const json& params, json& body) {
    auto access = params::optional_string(params, "accessType");
    auto minutes = params::optional_int(params, "durationMinutes", 1, 480);
    auto viewers = params::optional_int(params, "maxViewers", 1, 10);
    auto method = params::optional_string(params, "loginMethod");
    auto view_only = params::optional_bool(params, "viewOnly");
    auto watermark = params::optional_bool(params, "watermarkEnabled");
    auto start = params::optional_string(params, "scheduledStart");
    if (const Error* error =
            params::first_error(access, minutes, viewers, method, view_only, watermark, start)) {
        return std::unexpected(*error);
    }
    if (access->has_value()) {
        if (**access != "full" && **access != "view_only") {
            return std::unexpected(params::bad_field("accessType", "accessType is \"full\" or \"view_only\"."));
        }
        body["accessType"] = **access;
    }
    if (method->has_value()) {
        if (**method != "ai_agent" && **method != "manual") {
            return std::unexpected(params::bad_field("loginMethod", "loginMethod is \"ai_agent\" or \"manual\"."));
        }
        body["loginMethod"] = **method;
    }
    if (minutes->has_value()) {
        body["durationMinutes"] = **minutes;
    }
    if (viewers->has_value()) {
        body["maxViewers"] = **viewers;
    }
    if (view_only->has_value()) {
        body["viewOnly"] = **view_only;
    }
    if (watermark->has_value()) {
        body["watermarkEnabled"] = **watermark;
    }
    if (start->has_value()) {
        body["scheduledStart"] = **start;
    }
    return {};
}

Result<std::string> required_session_id(const json& params) {
    auto id = params::required_id(params, "sessionId");
    if (!id) {
        return std::unexpected(id.error());
    }
    return std::move(*id);
}

}  // namespace

Result<json> PassAgentBackend::session_shares_create(const Params& request, const Progress& progress) {
    const json& params = request.json();
    auto id = params::required_id(params, "id");
    auto watch = params::optional_bool(params, "watch");
    if (const Error* error = params::first_error(id, watch)) {
        return std::unexpected(*error);
    }
    json options{{"accountId", *id}};
    if (auto copied = copy_options(params, options); !copied) {
        return std::unexpected(copied.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }

    // The body with the decrypted credential, written once into one std::string that
    // the API client wipes after sending.
    std::string body;
    {
        auto credential = decrypt(*id);
        if (!credential) {
            return std::unexpected(credential.error());
        }
        const std::string rest = options.dump();  // "{...}", never empty
        body.reserve(64 + 6 * (credential->username.size() + credential->password.size()) + rest.size());
        body = "{\"decryptedUsername\":";
        append_json_string(body, credential->username);
        body += ",\"decryptedPassword\":";
        append_json_string(body, credential->password.view());
        body += ",";
        body.append(rest, 1, std::string::npos);
    }
    auto created = (*api)->create_session_share(std::move(body));
    if (!created) {
        return std::unexpected(created.error());
    }
    json out = std::move(*created);
    const std::string session_id = out.value("id", std::string());
    log::info("passagent", "session share created: " + session_id);
    if (!watch->value_or(true) || session_id.empty()) {
        return out;
    }

    json last = nullptr;
    auto watched = (*api)->watch_session_share(session_id, [&](const SessionStatusEvent& event) {
        json data = event.data;
        data["sessionId"] = session_id;
        if (!data.contains("type")) {
            data["type"] = event.type;
        }
        if (progress) {
            progress("sessionShare.status", data);
        }
        last = std::move(data);
        return true;
    });
    if (!watched) {
        // The share exists: say so with the error, so the caller can still manage it.
        Error error = watched.error();
        if (!error.extra.is_object()) {
            error.extra = json::object();
        }
        error.extra["sessionId"] = session_id;
        return std::unexpected(std::move(error));
    }
    out["final"] = std::move(last);
    return out;
}

Result<json> PassAgentBackend::session_shares_update(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = required_session_id(params);
    auto action = params::optional_string(params, "action");
    auto minutes = params::optional_int(params, "minutes", 1, 480);
    auto watermark = params::optional_bool(params, "watermarkEnabled");
    if (const Error* error = params::first_error(id, action, minutes, watermark)) {
        return std::unexpected(*error);
    }
    json body = json::object();
    if (action->has_value()) {
        static constexpr std::string_view kActions[] = {"pause", "resume", "revoke", "extend"};
        if (std::find(std::begin(kActions), std::end(kActions), **action) == std::end(kActions)) {
            return std::unexpected(
                params::bad_field("action", "action is \"pause\", \"resume\", \"revoke\" or \"extend\"."));
        }
        body["action"] = **action;
    }
    if (minutes->has_value()) {
        body["minutes"] = **minutes;
    }
    if (watermark->has_value()) {
        body["watermarkEnabled"] = **watermark;
    }
    if (!body.contains("action") && !body.contains("watermarkEnabled")) {
        return fail(ErrorCode::BadRequest, "Say what to change: action or watermarkEnabled.", {{"field", "action"}});
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    return (*api)->update_session_share(*id, body);
}

Result<json> PassAgentBackend::session_shares_delete(const Params& request, const Progress& /*progress*/) {
    const json& params = request.json();
    auto id = required_session_id(params);
    if (!id) {
        return std::unexpected(id.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    if (auto removed = (*api)->delete_session_share(*id); !removed) {
        return std::unexpected(removed.error());
    }
    return json{{"sessionId", *id}, {"deleted", true}};
}

}  // namespace pah::passagent
