// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"

namespace pah {

inline constexpr int kProtocolVersion = 1;

struct Request {
    nlohmann::json id;  // string or number; null when the frame could not be read
    std::string action;
    nlohmann::json params = nlohmann::json::object();
};

// Parses one frame's payload. Not JSON / not an object → BAD_FRAME; a wrong id,
// action or params type → BAD_REQUEST naming the field. On failure `id_out` receives
// whatever id could be read (null if none), so the error reply pairs when it can.
Result<Request> parse_request(std::string_view payload, nlohmann::json* id_out);

nlohmann::json make_ok(const nlohmann::json& id, nlohmann::json result);
nlohmann::json make_error(const nlohmann::json& id, const Error& error);
nlohmann::json make_progress(const nlohmann::json& id, std::string_view event, nlohmann::json data);
nlohmann::json make_push(std::string_view event, nlohmann::json data);

// Serialises for the wire; invalid UTF-8 from outside data is replaced, never thrown.
std::string dump_message(const nlohmann::json& message);

// WARNING: overwrites every string in the value with zeros before it is freed; use on
// params and replies that carried passwords or keys.
void wipe_json(nlohmann::json& value) noexcept;
void wipe_string(std::string& text) noexcept;

}  // namespace pah
