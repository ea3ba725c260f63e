// SPDX-License-Identifier: MIT
#include "store/json_bounded.hpp"

namespace pah::store {

using nlohmann::json;

std::expected<nlohmann::json, std::string> parse_json_bounded(std::string_view text, std::size_t max_depth) {
    bool too_deep = false;
    // nlohmann's parser keeps its own stack (no recursion); the callback sees each
    // object or array as it opens and discards it when it is too deep, so nothing deeper
    // than the bound is built.
    const json::parser_callback_t bound = [&](int depth, json::parse_event_t event, json&) {
        const bool opens = event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
        if (opens && static_cast<std::size_t>(depth) >= max_depth) {
            too_deep = true;
            return false;
        }
        return !too_deep;
    };
    json doc = json::parse(text, bound, /*allow_exceptions=*/false);
    if (too_deep) {
        return std::unexpected("it nests deeper than " + std::to_string(max_depth) + " levels");
    }
    if (doc.is_discarded()) {
        return std::unexpected(std::string("it is not JSON"));
    }
    return doc;
}

}  // namespace pah::store
