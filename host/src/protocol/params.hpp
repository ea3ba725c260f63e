// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// The params whose string values are secrets: they never sit in a std::string or a
// json value. The request parser sends them straight into locked memory.
inline constexpr std::string_view kSecretParams[] = {"password",   "masterPassword", "vaultKey", "secret",
                                                     "otpauthUri", "code",           "otp",      "notes"};
bool is_secret_param(std::string_view name) noexcept;

// A request's params: the JSON, and the secret fields' strings held apart in
// SecretBuffers. Built by parse_request (SAX, no copy), or from a json value (tests,
// the CLI): then the secret strings move out and the json's copies are wiped.
class Params {
public:
    Params() = default;
    Params(nlohmann::json value);  // NOLINT(google-explicit-constructor): a request's params read as JSON
    Params(Params&&) noexcept = default;
    Params& operator=(Params&&) noexcept = default;
    Params(const Params&) = delete;
    Params& operator=(const Params&) = delete;
    ~Params() { wipe(); }

    // Without the secret fields (read those with params::required_secret).
    [[nodiscard]] const nlohmann::json& json() const noexcept { return json_; }
    // nullptr when the field was not a string.
    [[nodiscard]] const SecretBuffer* secret(std::string_view field) const noexcept;
    void add_secret(std::string_view field, SecretBuffer value);
    // Moves every secret of `other` here.
    void take_secrets(Params& other);
    // Zeroes the JSON's strings and frees the secrets.
    void wipe() noexcept;

private:
    nlohmann::json json_ = nlohmann::json::object();
    std::vector<std::pair<std::string, SecretBuffer>> secrets_;
};

}  // namespace pah

namespace pah::params {

// Typed reads of a request's params. A missing required field or a wrong type is a
// BAD_REQUEST whose message names the field ("params.url must be a string").
Result<std::string> required_string(const nlohmann::json& params, std::string_view field);
Result<std::optional<std::string>> optional_string(const nlohmann::json& params,
                                                   std::string_view field);
Result<std::int64_t> required_int(const nlohmann::json& params, std::string_view field,
                                  std::int64_t min, std::int64_t max);
Result<std::optional<std::int64_t>> optional_int(const nlohmann::json& params,
                                                 std::string_view field, std::int64_t min,
                                                 std::int64_t max);
Result<std::optional<bool>> optional_bool(const nlohmann::json& params, std::string_view field);
// A string that must be one of `allowed`.
Result<std::string> required_enum(const nlohmann::json& params, std::string_view field,
                                  std::initializer_list<std::string_view> allowed);
// A string or number id, returned as text.
Result<std::string> required_id(const nlohmann::json& params, std::string_view field);

// A secret field (kSecretParams), in locked memory. required: never null on success;
// optional: null when absent.
Result<const SecretBuffer*> required_secret(const Params& params, std::string_view field);
Result<const SecretBuffer*> optional_secret(const Params& params, std::string_view field);

Error bad_field(std::string_view field, std::string message);

// The error of the first failed read among `reads` (checked in order), or nullptr when
// every read succeeded: one check after reading all of an action's params.
template <class... Reads>
const Error* first_error(const Reads&... reads) noexcept {
    const Error* first = nullptr;
    (void)((reads ? false : (first = &reads.error(), true)) || ...);
    return first;
}

// The same reads of a request's Params (its JSON part: a secret field is not there).
inline Result<std::string> required_string(const Params& p, std::string_view field) {
    return required_string(p.json(), field);
}
inline Result<std::optional<std::string>> optional_string(const Params& p, std::string_view field) {
    return optional_string(p.json(), field);
}
inline Result<std::optional<bool>> optional_bool(const Params& p, std::string_view field) {
    return optional_bool(p.json(), field);
}
inline Result<std::string> required_enum(const Params& p, std::string_view field,
                                         std::initializer_list<std::string_view> allowed) {
    return required_enum(p.json(), field, allowed);
}
inline Result<std::string> required_id(const Params& p, std::string_view field) {
    return required_id(p.json(), field);
}

}  // namespace pah::params
