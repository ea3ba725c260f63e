// SPDX-License-Identifier: MIT
#include "backends/common.hpp"

#include <chrono>
#include <utility>

#include "protocol/envelope.hpp"
#include "protocol/params.hpp"

namespace pah {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string> configured_server(const Config& config, std::string_view section) {
    const auto found = config.raw.find(section);
    if (found == config.raw.end() || !found->is_object()) {
        return std::nullopt;
    }
    if (const auto server = found->find("server"); server != found->end() && server->is_string()) {
        return server->get<std::string>();
    }
    return std::nullopt;
}

ServerBackendOptions server_backend_options(const Config& config, std::string_view section, EventFn push) {
    ServerBackendOptions options;
    options.push = std::move(push);
    options.server = configured_server(config, section);
    return options;
}

Result<void> check_reply_list(const nlohmann::json& reply, std::size_t max, std::string_view noun,
                              Error (*bad_reply)(std::string_view what)) {
    if (!reply.is_array()) {
        return std::unexpected(bad_reply("the " + std::string(noun) + " list is not an array"));
    }
    if (reply.size() > max) {
        return std::unexpected(bad_reply("too many " + std::string(noun) + "s"));
    }
    return {};
}

Error not_found_is_bad_server(Error error) {
    if (error.code == ErrorCode::NotFound) {
        error.code = ErrorCode::BadRequest;
        error.extra["field"] = "server";
    }
    return error;
}

Error unreadable_entry(std::string_view manager, std::string_view key) {
    return {ErrorCode::BadFormat, "This " + std::string(manager) + " entry does not open with " +
                                      std::string(key) + " (damaged, or encrypted with another key)."};
}

Credential credential_of(const ItemSummary& summary, SecretBuffer password, SecretBuffer notes) {
    Credential out;
    out.username = summary.username;
    out.password = std::move(password);
    out.notes = std::move(notes);
    if (!summary.url.empty()) {
        out.urls.push_back(summary.url);
    }
    return out;
}

TotpSecret totp_secret_of(OtpAuth parsed) {
    TotpSecret out;
    out.key = std::move(parsed.key);
    out.algorithm = std::string(totp_algorithm_name(parsed.params.algorithm));
    out.digits = static_cast<int>(parsed.params.digits);
    out.period = static_cast<int>(parsed.params.period_seconds);
    return out;
}

Result<LoginParams> read_login_params(const Params& params, const std::optional<std::string>& default_server,
                                      const LoginWording& wording) {
    auto server = params::optional_string(params, "server");
    if (!server) {
        return std::unexpected(server.error());
    }
    if (!server->has_value() || (*server)->empty()) {
        *server = default_server;
    }
    if (!server->has_value() || (*server)->empty()) {
        return fail(ErrorCode::BadRequest, std::string(wording.no_server), {{"field", "server"}});
    }
    auto user = params::optional_string(params, wording.user_field);
    if (!user) {
        return std::unexpected(user.error());
    }
    if (!user->has_value()) {
        auto other = params::optional_string(params, wording.other_user_field);
        if (!other) {
            return std::unexpected(other.error());
        }
        *user = std::move(*other);
    }
    if (!user->has_value() || (*user)->empty()) {
        return fail(ErrorCode::BadRequest, std::string(wording.no_user), {{"field", wording.user_field}});
    }
    auto password = params::required_secret(params, "password");
    if (!password) {
        return std::unexpected(password.error());
    }
    return LoginParams{.server = std::move(**server),
                       .user = std::move(**user),
                       .password = SecretBuffer::copy_of((*password)->span())};
}

std::optional<std::string> text_or_empty(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::string();
    }
    if (!it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

bool read_text_fields(const nlohmann::json& object, std::initializer_list<TextField> fields) {
    for (const auto& field : fields) {
        auto value = text_or_empty(object, field.key);
        if (!value) {
            return false;
        }
        *field.target = std::move(*value);
    }
    return true;
}

Error other_status_error(std::string_view server, long status, nlohmann::json extra) {
    if (status >= 500) {
        return {ErrorCode::Server,
                "The " + std::string(server) + " server failed (HTTP " + std::to_string(status) + "). Try again later.",
                std::move(extra)};
    }
    return {ErrorCode::BadFormat,
            "The " + std::string(server) + " server gave an answer this host does not expect (HTTP " +
                std::to_string(status) + ").",
            std::move(extra)};
}

void report_sync_complete(const Progress& progress, std::size_t done, std::size_t total, std::size_t items,
                          std::size_t skipped) {
    if (progress) {
        progress("sync", nlohmann::json{{"done", done},
                                        {"total", total},
                                        {"items", items},
                                        {"skipped", skipped},
                                        {"complete", true}});
    }
}

}  // namespace pah
