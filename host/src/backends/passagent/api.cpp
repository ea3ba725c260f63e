// SPDX-License-Identifier: MIT
// The API client's life: creation, sign-in, sign-out.
#include "backends/passagent/api.hpp"

#include <utility>

#include "http/url.hpp"

namespace pah::passagent {

using nlohmann::json;

Result<std::unique_ptr<PassAgentApi>> PassAgentApi::create(ApiConfig config) {
    auto endpoints = make_endpoints(config.server, config.auth_url);
    if (!endpoints) {
        return std::unexpected(endpoints.error());
    }
    if (!is_header_safe(config.anon_key)) {
        return fail(ErrorCode::BadRequest, "The PassAgent anon key is missing or malformed.");
    }
    return std::unique_ptr<PassAgentApi>(new PassAgentApi(std::move(config), std::move(*endpoints)));
}

PassAgentApi::PassAgentApi(ApiConfig config, Endpoints endpoints)
    : config_(std::move(config)),
      endpoints_(std::move(endpoints)),
      client_(std::make_unique<http::HttpClient>(config_.http)),
      auth_(std::make_unique<AuthSession>(*client_, endpoints_, config_.anon_key, config_.clock)) {}

PassAgentApi::~PassAgentApi() = default;

std::int64_t PassAgentApi::now() const {
    if (config_.clock) {
        return config_.clock();
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ApiStats PassAgentApi::stats() const {
    return {requests_.load(), retries_.load(), csrf_fetches_.load(), auth_->refresh_count()};
}

// ---------------------------------------------------------------- session

Result<void> PassAgentApi::login(std::string_view email, std::string_view password) {
    {
        std::lock_guard lock(csrf_mutex_);
        http::wipe(csrf_);
    }
    if (auto signed_in = auth_->sign_in(email, password); !signed_in) {
        return signed_in;
    }
    if (auth_->mfa_pending()) {
        return fail(ErrorCode::OtpRequired, "Enter the code from your authenticator app to finish signing in.");
    }
    return {};
}

Result<void> PassAgentApi::verify_otp(std::string_view code) {
    if (!auth_->signed_in()) {
        return fail(ErrorCode::NotLoggedIn, "Sign in to PassAgent first.");
    }
    auto verified = twofa_verify(code);
    if (verified) {
        auth_->set_mfa_done();
    }
    return verified;
}

Result<void> PassAgentApi::logout() {
    {
        std::lock_guard lock(csrf_mutex_);
        http::wipe(csrf_);
    }
    return auth_->logout();
}

Result<void> PassAgentApi::resume(std::string_view email, SecretBuffer refresh_token) {
    return auth_->resume(email, std::move(refresh_token));
}

SecretBuffer PassAgentApi::refresh_token_copy(std::uint64_t& generation) const {
    return auth_->refresh_token_copy(generation);
}

void PassAgentApi::set_refresh_token_sink(AuthSession::RefreshTokenSink sink) {
    auth_->set_refresh_token_sink(std::move(sink));
}

bool PassAgentApi::signed_in() const { return auth_->signed_in(); }
std::string PassAgentApi::user_id() const { return auth_->user_id(); }
std::string PassAgentApi::email() const { return auth_->email(); }

}  // namespace pah::passagent
