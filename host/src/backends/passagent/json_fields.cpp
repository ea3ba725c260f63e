// SPDX-License-Identifier: MIT
#include "backends/passagent/json_fields.hpp"

namespace pah::passagent {

using nlohmann::json;

Error bad_format(std::string_view what) {
    return {ErrorCode::BadFormat, "The PassAgent server sent an unexpected reply: " + std::string(what) + "."};
}

const json* field(const json& obj, std::string_view name) {
    if (!obj.is_object()) {
        return nullptr;
    }
    const auto it = obj.find(name);
    return it == obj.end() ? nullptr : &*it;
}

std::optional<std::string> string_field(const json& obj, std::string_view name) {
    const json* v = field(obj, name);
    if (v == nullptr || !v->is_string()) {
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::int64_t> int_field(const json& obj, std::string_view name) {
    const json* v = field(obj, name);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_number_integer()) {
        return v->get<std::int64_t>();
    }
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (d >= -9.0e15 && d <= 9.0e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

std::optional<bool> bool_field(const json& obj, std::string_view name) {
    const json* v = field(obj, name);
    if (v == nullptr || !v->is_boolean()) {
        return std::nullopt;
    }
    return v->get<bool>();
}

bool normalise_id(json& item) {
    if (!item.is_object()) {
        return false;
    }
    const auto it = item.find("id");
    if (it == item.end()) {
        return false;
    }
    if (it->is_number_integer()) {
        *it = std::to_string(it->get<std::int64_t>());
    }
    return it->is_string() && !it->get_ref<const std::string&>().empty() &&
           it->get_ref<const std::string&>().size() <= 512;
}

bool is_base64_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '-' || c == '_';
}

}  // namespace pah::passagent
