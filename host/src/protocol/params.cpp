// SPDX-License-Identifier: MIT
#include "protocol/params.hpp"

namespace pah::params {

using nlohmann::json;

Error bad_field(std::string_view field, std::string message) {
    return Error{ErrorCode::BadRequest, std::move(message), {{"field", std::string(field)}}};
}

namespace {

const json* find(const json& params, std::string_view field) {
    if (!params.is_object()) {
        return nullptr;
    }
    auto it = params.find(field);
    if (it == params.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::string name(std::string_view field) { return "params." + std::string(field); }

}  // namespace

Result<std::string> required_string(const json& params, std::string_view field) {
    const json* v = find(params, field);
    if (v == nullptr) {
        return std::unexpected(bad_field(field, name(field) + " is required."));
    }
    if (!v->is_string()) {
        return std::unexpected(bad_field(field, name(field) + " must be a string."));
    }
    return v->get<std::string>();
}

Result<std::optional<std::string>> optional_string(const json& params, std::string_view field) {
    const json* v = find(params, field);
    if (v == nullptr) {
        return std::optional<std::string>{};
    }
    if (!v->is_string()) {
        return std::unexpected(bad_field(field, name(field) + " must be a string."));
    }
    return std::optional<std::string>{v->get<std::string>()};
}

Result<std::optional<std::int64_t>> optional_int(const json& params, std::string_view field,
                                                 std::int64_t min, std::int64_t max) {
    const json* v = find(params, field);
    if (v == nullptr) {
        return std::optional<std::int64_t>{};
    }
    if (!v->is_number_integer()) {
        return std::unexpected(bad_field(field, name(field) + " must be a whole number."));
    }
    const auto value = v->get<std::int64_t>();
    if (value < min || value > max) {
        return std::unexpected(bad_field(field, name(field) + " must be between " +
                                                    std::to_string(min) + " and " +
                                                    std::to_string(max) + "."));
    }
    return std::optional<std::int64_t>{value};
}

Result<std::int64_t> required_int(const json& params, std::string_view field, std::int64_t min,
                                  std::int64_t max) {
    auto value = optional_int(params, field, min, max);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (!value->has_value()) {
        return std::unexpected(bad_field(field, name(field) + " is required."));
    }
    return **value;
}

Result<std::optional<bool>> optional_bool(const json& params, std::string_view field) {
    const json* v = find(params, field);
    if (v == nullptr) {
        return std::optional<bool>{};
    }
    if (!v->is_boolean()) {
        return std::unexpected(bad_field(field, name(field) + " must be true or false."));
    }
    return std::optional<bool>{v->get<bool>()};
}

Result<std::string> required_enum(const json& params, std::string_view field,
                                  std::initializer_list<std::string_view> allowed) {
    auto value = required_string(params, field);
    if (!value) {
        return value;
    }
    for (std::string_view option : allowed) {
        if (*value == option) {
            return value;
        }
    }
    std::string list;
    for (std::string_view option : allowed) {
        list += list.empty() ? "" : ", ";
        list += '"';
        list += option;
        list += '"';
    }
    return std::unexpected(bad_field(field, name(field) + " must be one of " + list + "."));
}

Result<std::string> required_id(const json& params, std::string_view field) {
    const json* v = find(params, field);
    if (v == nullptr) {
        return std::unexpected(bad_field(field, name(field) + " is required."));
    }
    if (v->is_string() && !v->get_ref<const std::string&>().empty()) {
        return v->get<std::string>();
    }
    if (v->is_number_integer()) {
        return v->dump();
    }
    return std::unexpected(bad_field(field, name(field) + " must be a non-empty string or a number."));
}

}  // namespace pah::params
