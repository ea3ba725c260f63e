// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"
#include "protocol/params.hpp"
#include "secure/wipe.hpp"  // wipe_json for params and replies

namespace pah {

inline constexpr int kProtocolVersion = 1;

struct Request {
    nlohmann::json id;  // string or number; null when the frame could not be read
    std::string action;
    Params params;
};

// Parses one frame's payload, bounded while parsing (depth 128, strings of 1 MiB).
// Not JSON / not an object / too deep → BAD_FRAME; a wrong id, action or params type →
// BAD_REQUEST naming the field. The secret params go straight into locked memory. On failure `id_out`
// receives whatever id could be read (null if none), so the error reply pairs when it can.
Result<Request> parse_request(std::string_view payload, nlohmann::json* id_out);

nlohmann::json make_ok(const nlohmann::json& id, nlohmann::json result);
nlohmann::json make_error(const nlohmann::json& id, const Error& error);
nlohmann::json make_progress(const nlohmann::json& id, std::string_view event, nlohmann::json data);
nlohmann::json make_push(std::string_view event, nlohmann::json data);

// Serialises for the wire; invalid UTF-8 from outside data is replaced, never thrown.
std::string dump_message(const nlohmann::json& message);

}  // namespace pah
