// SPDX-License-Identifier: MIT
#include "protocol/envelope.hpp"

#include <span>

#include "text/json_reader.hpp"

namespace pah {

using nlohmann::json;

namespace {

// A frame is at most 64 MiB (messaging/frame.hpp); nothing the protocol sends nests
// deeper than a few levels.
// The extension's JSON.stringify never repeats a member, so a request that does is
// refused rather than read as its last one (which also spares a locked allocation for
// every repeat of a secret parameter).
constexpr text::JsonLimits kRequestLimits{
    .max_depth = 128, .max_string_bytes = 16U << 20U, .max_values = 1U << 20U, .unique_keys = true};

}  // namespace

Result<Request> parse_request(std::string_view payload, json* id_out) {
    *id_out = nullptr;
    Params secrets;
    const auto tap = [&secrets](std::span<const std::string> path, std::string_view value) {
        if (path.size() == 2 && path[0] == "params" && is_secret_param(path[1])) {
            secrets.add_secret(path[1], SecretBuffer::copy_of(value));
            return true;
        }
        return false;
    };
    text::JsonRead read = text::read_json(payload, kRequestLimits, tap);
    json& doc = read.value;
    switch (read.fault) {
        case text::JsonFault::None: break;
        case text::JsonFault::TooDeep:
            return fail(ErrorCode::BadFrame, "The message nests deeper than " +
                                                 std::to_string(kRequestLimits.max_depth) + " levels.");
        case text::JsonFault::TooLarge:
            return fail(ErrorCode::BadFrame, "The message has a string or a count of values over the limit.");
        case text::JsonFault::Syntax: return fail(ErrorCode::BadFrame, "The message is not valid JSON.");
        case text::JsonFault::DuplicateKey:
            return fail(ErrorCode::BadFrame, "The message names the same member twice in one object.");
    }
    if (!doc.is_object()) {
        wipe_json(doc);
        return fail(ErrorCode::BadFrame, "The message must be a JSON object.");
    }
    Request request;
    if (auto it = doc.find("id"); it != doc.end()) {
        if (!it->is_string() && !it->is_number()) {
            wipe_json(doc);
            return fail(ErrorCode::BadRequest, "\"id\" must be a string or a number.",
                        {{"field", "id"}});
        }
        request.id = *it;
        *id_out = request.id;
    } else {
        wipe_json(doc);
        return fail(ErrorCode::BadRequest, "The request has no \"id\".", {{"field", "id"}});
    }
    auto action = doc.find("action");
    if (action == doc.end() || !action->is_string() || action->get_ref<const std::string&>().empty()) {
        wipe_json(doc);
        return fail(ErrorCode::BadRequest, "\"action\" must be a non-empty string.",
                    {{"field", "action"}});
    }
    request.action = action->get<std::string>();
    if (auto params = doc.find("params"); params != doc.end() && !params->is_null()) {
        if (!params->is_object()) {
            wipe_json(doc);
            return fail(ErrorCode::BadRequest, "\"params\" must be an object.",
                        {{"field", "params"}});
        }
        Params read_params(std::move(*params));
        read_params.take_secrets(secrets);
        request.params = std::move(read_params);
    }
    wipe_json(doc);
    return request;
}

json make_ok(const json& id, json result) {
    json out = json::object();
    out["id"] = id;
    out["ok"] = true;
    out["result"] = std::move(result);
    return out;
}

json make_error(const json& id, const Error& error) {
    json out = json::object();
    out["id"] = id;
    out["ok"] = false;
    out["error"] = to_wire(error);
    return out;
}

json make_progress(const json& id, std::string_view event, json data) {
    json out = json::object();
    out["id"] = id;
    out["event"] = event;
    out["data"] = std::move(data);
    return out;
}

json make_push(std::string_view event, json data) {
    json out = json::object();
    out["event"] = event;
    out["data"] = std::move(data);
    return out;
}

std::string dump_message(const json& message) {
    return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace pah
