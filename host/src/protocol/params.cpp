// SPDX-License-Identifier: MIT
#include "protocol/params.hpp"

#include "secure/wipe.hpp"

namespace pah {

bool is_secret_param(std::string_view name) noexcept {
    for (const std::string_view secret : kSecretParams) {
        if (name == secret) {
            return true;
        }
    }
    return false;
}

Params::Params(nlohmann::json value) {
    if (!value.is_object()) {
        json_ = std::move(value);
        return;
    }
    for (const std::string_view field : kSecretParams) {
        auto it = value.find(field);
        if (it != value.end() && it->is_string()) {
            auto& text = it->get_ref<std::string&>();
            add_secret(field, SecretBuffer::copy_of(std::string_view(text)));
            wipe_string(text);
            value.erase(it);
        }
    }
    json_ = std::move(value);
}

const SecretBuffer* Params::secret(std::string_view field) const noexcept {
    for (const auto& [name, value] : secrets_) {
        if (name == field) {
            return &value;
        }
    }
    return nullptr;
}

void Params::add_secret(std::string_view field, SecretBuffer value) {
    for (auto& [name, held] : secrets_) {
        if (name == field) {
            held = std::move(value);  // a repeated key: the last one wins, as in json
            return;
        }
    }
    secrets_.emplace_back(std::string(field), std::move(value));
}

void Params::take_secrets(Params& other) {
    for (auto& [name, value] : other.secrets_) {
        add_secret(name, std::move(value));
    }
    other.secrets_.clear();
}

void Params::wipe() noexcept {
    wipe_json(json_);
    secrets_.clear();  // each SecretBuffer wipes itself
}

}  // namespace pah

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

Result<const SecretBuffer*> optional_secret(const Params& params, std::string_view field) {
    if (const SecretBuffer* value = params.secret(field)) {
        return value;
    }
    if (find(params.json(), field) != nullptr) {
        return std::unexpected(bad_field(field, name(field) + " must be a string."));
    }
    return nullptr;
}

Result<const SecretBuffer*> required_secret(const Params& params, std::string_view field) {
    auto value = optional_secret(params, field);
    if (value && *value == nullptr) {
        return std::unexpected(bad_field(field, name(field) + " is required."));
    }
    return value;
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
