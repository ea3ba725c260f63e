// SPDX-License-Identifier: MIT
#include "protocol/envelope.hpp"

#include <sodium.h>

namespace pah {

using nlohmann::json;

Result<Request> parse_request(std::string_view payload, json* id_out) {
    *id_out = nullptr;
    json doc = json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        return fail(ErrorCode::BadFrame, "The message is not valid JSON.");
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
        request.params = std::move(*params);
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

void wipe_string(std::string& text) noexcept {
    if (!text.empty()) {
        sodium_memzero(text.data(), text.size());
    }
    text.clear();
}

void wipe_json(json& value) noexcept {
    if (value.is_string()) {
        wipe_string(value.get_ref<std::string&>());
    } else if (value.is_structured()) {
        for (auto& child : value) {
            wipe_json(child);
        }
        if (value.is_object()) {
            // Keys can be secret too (rare); they are short and cleared with the object.
            value = json::object();
        }
    }
}

}  // namespace pah
