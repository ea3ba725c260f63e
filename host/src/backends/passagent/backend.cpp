// SPDX-License-Identifier: MIT
// The PassAgent backend's session: options, login (with 2FA), logout, a session that
// ended at the server.
#include "backends/passagent/backend.hpp"

#include <utility>

#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

// Params value, else the config's, else nothing.
Result<std::optional<std::string>> param_or(const json& params, std::string_view field,
                                            const std::optional<std::string>& fallback) {
    auto value = params::optional_string(params, field);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (value->has_value() && !(*value)->empty()) {
        return *value;
    }
    return fallback;
}

// The password and the 2FA code stay in the request's locked memory.
struct LoginRequest {
    ApiConfig api;
    std::string email;
    const SecretBuffer* password = nullptr;  // never null
    const SecretBuffer* otp = nullptr;       // null when absent
};

}  // namespace

// server, authUrl and anonKey (params, else the config); BAD_REQUEST when one is missing.
Result<ApiConfig> read_api_config(const json& params, const BackendOptions& options) {
    auto server = param_or(params, "server", options.server);
    auto auth_url = param_or(params, "authUrl", options.auth_url);
    auto anon_key = param_or(params, "anonKey", options.anon_key);
    if (!server || !auth_url || !anon_key) {
        return std::unexpected(!server ? server.error() : !auth_url ? auth_url.error() : anon_key.error());
    }
    if (!server->has_value()) {
        return fail(ErrorCode::BadRequest,
                    "Say which PassAgent server to sign in to (params.server or \"server\" in the config file).",
                    {{"field", "server"}});
    }
    if (!anon_key->has_value()) {
        return fail(ErrorCode::BadRequest,
                    "The PassAgent anon key is missing: set \"anonKey\" in the host's config file or pass it "
                    "with the sign-in.",
                    {{"field", "anonKey"}});
    }
    return ApiConfig{**server, auth_url->value_or(""), **anon_key, options.http, {}, {}};
}

namespace {

Result<LoginRequest> read_login(const Params& request, const BackendOptions& options) {
    const json& params = request.json();
    auto api = read_api_config(params, options);
    if (!api) {
        return std::unexpected(api.error());
    }
    auto email = params::optional_string(params, "email");
    if (!email) {
        return std::unexpected(email.error());
    }
    if (!email->has_value()) {
        auto username = params::required_string(params, "username");
        if (!username) {
            return fail(ErrorCode::BadRequest, "Enter your PassAgent email address.", {{"field", "email"}});
        }
        *email = std::move(*username);
    }
    auto password = params::required_secret(request, "password");
    if (!password) {
        return std::unexpected(password.error());
    }
    auto otp = params::optional_secret(request, "otp");
    if (!otp) {
        return std::unexpected(otp.error());
    }
    return LoginRequest{std::move(*api), std::move(**email), *password, *otp};
}

// The password grant, then the 2FA code when the account asks for one.
Result<void> sign_in(PassAgentApi& api, const LoginRequest& login) {
    auto signed_in = api.login(login.email, login.password->view());
    if (signed_in || signed_in.error().code != ErrorCode::OtpRequired) {
        return signed_in;
    }
    if (login.otp == nullptr || login.otp->empty()) {
        Error error = signed_in.error();
        error.extra = json{{"otpRequired", true}};
        return std::unexpected(std::move(error));
    }
    auto verified = api.verify_otp(login.otp->view());
    if (!verified && verified.error().code == ErrorCode::BadCredentials) {
        return fail(ErrorCode::BadCredentials, "The two-factor code is wrong or has expired. Try the current one.",
                    {{"otpRequired", true}, {"field", "otp"}});
    }
    return verified;
}

}  // namespace

BackendOptions options_from_config(const Config& config, EventFn push) {
    BackendOptions options;
    options.server = config.server;
    options.auth_url = config.auth_url;
    options.anon_key = config.anon_key;
    options.push = std::move(push);
    options.state_dir = config.state_dir;
    if (const auto section = config.raw.find("passagent"); section != config.raw.end() && section->is_object()) {
        if (const auto paging = section->find("paging"); paging != section->end() && paging->is_string()) {
            const auto& value = paging->get_ref<const std::string&>();
            options.paging = value == "page"     ? PagingPreference::Page
                             : value == "cursor" ? PagingPreference::Cursor
                                                 : PagingPreference::Auto;
        }
        if (const auto limit = section->find("totpPrefetch"); limit != section->end() && limit->is_number_unsigned()) {
            options.totp_prefetch_limit = limit->get<std::size_t>();
        }
        if (const auto full = section->find("fullListingMinutes"); full != section->end()) {
            if (full->is_number() && full->get<double>() >= 0 && full->get<double>() <= 10'080) {
                options.full_listing_every =
                    std::chrono::seconds(static_cast<std::int64_t>(full->get<double>() * 60.0));
            } else {
                log::warn("config",
                          "passagent.fullListingMinutes is not a number of minutes from 0 to 10080; ignored");
            }
        }
        if (const auto limits = section->find("rateLimits");
            limits != section->end() && limits->is_object()) {
            for (const auto& [category, max] : limits->items()) {
                if (max.is_number_integer() && max.get<std::int64_t>() > 0 &&
                    max.get<std::int64_t>() <= 1'000'000) {
                    http::set_limit(options.rate_limits, category, max.get<std::size_t>());
                } else {
                    log::warn("config",
                              "passagent.rateLimits." + category + " is not a count from 1; ignored");
                }
            }
        }
    }
    return options;
}

PassAgentBackend::PassAgentBackend(BackendOptions options)
    : SessionBackend(Error{ErrorCode::NotLoggedIn, "You are not signed in to PassAgent. Sign in first."},
                     Error{ErrorCode::Locked, "The vault is locked. Unlock it with your master password."}),
      options_(std::move(options)) {
    if (!options_.pacers) {
        options_.pacers = std::make_shared<http::PacerRegistry>();
    }
}

PassAgentBackend::~PassAgentBackend() {
    lock();  // saves what a write left to save first
    stop_copy_saver();
}

Result<json> PassAgentBackend::login(const Params& params) {
    auto login = read_login(params, options_);
    if (!login) {
        return std::unexpected(login.error());
    }
    auto endpoints = make_endpoints(login->api.server, login->api.auth_url);
    if (!endpoints) {
        return std::unexpected(endpoints.error());
    }
    std::string origin = endpoints->api_base;
    if (origin.ends_with("/api")) {
        origin.resize(origin.size() - 4);
    }
    login->api.pacer = pacer_for(origin);
    auto created = PassAgentApi::create(login->api);
    if (!created) {
        return std::unexpected(created.error());
    }
    std::shared_ptr<PassAgentApi> api = std::move(*created);
    if (auto ok = sign_in(*api, *login); !ok) {
        return std::unexpected(ok.error());
    }
    std::string user = api->email().empty() ? login->email : api->email();
    signed_in(api, user, origin);
    log::info("passagent", "signed in");
    return json{{"user", user}, {"server", origin}};
}

std::shared_ptr<http::RequestPacer> PassAgentBackend::pacer_for(std::string_view origin) {
    return options_.pacers->for_server(origin, options_.rate_limits);
}

Result<void> PassAgentBackend::end_session(PassAgentApi& api) { return api.logout(); }

std::shared_ptr<PassAgentApi> PassAgentBackend::api() const {
    std::lock_guard lock(mu_);
    return api_;
}

// A refused session forgets the remembered sign-in too: its refresh token is dead.
Error PassAgentBackend::seen(Error error) {
    return SessionBackend::seen(std::move(error), options_.push, "the PassAgent session ended at the server",
                                "Your PassAgent session has ended. Sign in again.");
}

}  // namespace pah::passagent
