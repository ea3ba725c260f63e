// SPDX-License-Identifier: MIT
#include "backends/common.hpp"

#include <chrono>

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
