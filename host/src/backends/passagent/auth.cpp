// SPDX-License-Identifier: MIT
#include "backends/passagent/auth.hpp"

#include <chrono>
#include <optional>
#include <utility>

#include "log/log.hpp"

namespace pah::passagent {

namespace {

std::int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

AuthSession::AuthSession(http::HttpClient& client, Endpoints endpoints, std::string anon_key, Clock clock)
    : client_(client), endpoints_(std::move(endpoints)), anon_key_(std::move(anon_key)), clock_(std::move(clock)) {
    if (!clock_) {
        clock_ = system_now;
    }
}

Result<TokenReply> AuthSession::token_request(Endpoint endpoint, std::string_view grant, std::string body,
                                              const SecretBuffer* secret_body) {
    if (!is_header_safe(anon_key_)) {
        return fail(ErrorCode::BadRequest, "The PassAgent anon key is missing or malformed (set anon_key).");
    }
    http::HttpRequest request;
    request.method = "POST";
    request.url = token_url(endpoints_, grant);
    request.headers = {"apikey: " + anon_key_, "Content-Type: application/json", "Accept: application/json"};
    request.body = std::move(body);  // wiped by the client after sending
    request.secret_body = secret_body;
    auto response = client_.send(request);
    if (!response) {
        return std::unexpected(response.error());
    }
    const std::int64_t now = clock_();
    if (response->status < 200 || response->status >= 300) {
        return std::unexpected(map_error(endpoint, response->status, response->body, response->headers, now));
    }
    auto reply = parse_token_reply(response->body, now);
    http::wipe(response->body);
    return reply;
}

void AuthSession::install(TokenReply&& reply) {
    access_token_ = std::move(reply.access_token);
    refresh_token_ = std::move(reply.refresh_token);
    expires_at_ = reply.expires_at;
    if (!reply.user_id.empty()) {
        user_id_ = std::move(reply.user_id);
    }
    if (!reply.email.empty()) {
        email_ = std::move(reply.email);
    }
    mfa_pending_ = mfa_pending_ && reply.mfa_pending;
    ++generation_;
}

void AuthSession::clear() noexcept {
    access_token_.reset();
    refresh_token_.reset();
    expires_at_ = 0;
    mfa_pending_ = false;
    ++generation_;
}

Result<void> AuthSession::sign_in(std::string_view email, std::string_view password) {
    const SecretBuffer body = password_grant_body(email, password);
    auto reply = token_request(Endpoint::PasswordGrant, "password", {}, &body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        const bool mfa = reply->mfa_pending;
        user_id_.clear();
        email_ = std::string(email);
        install(std::move(*reply));
        mfa_pending_ = mfa;
        generation = generation_;
    }
    tell_sink(generation);
    return {};
}

Result<void> AuthSession::resume(std::string_view email, SecretBuffer refresh_token) {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        clear();
        user_id_.clear();
        email_ = std::string(email);
        refresh_token_ = std::move(refresh_token);
        generation = generation_;
    }
    return refresh(generation);
}

void AuthSession::set_refresh_token_sink(RefreshTokenSink sink) {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
}

SecretBuffer AuthSession::refresh_token_copy(std::uint64_t& generation) const {
    std::lock_guard lock(mutex_);
    generation = generation_;
    return refresh_token_.empty() ? SecretBuffer{} : SecretBuffer::copy_of(refresh_token_.span());
}

void AuthSession::tell_sink(std::uint64_t generation) {
    RefreshTokenSink sink;
    SecretBuffer token;
    {
        std::lock_guard lock(mutex_);
        if (!sink_ || generation_ != generation || refresh_token_.empty()) {
            return;
        }
        sink = sink_;
        token = SecretBuffer::copy_of(refresh_token_.span());
    }
    sink(token, generation);
}

Result<BearerToken> AuthSession::bearer() {
    std::unique_lock lock(mutex_);
    if (access_token_.empty()) {
        return fail(ErrorCode::NotLoggedIn, "Sign in to PassAgent first.");
    }
    const std::int64_t now = clock_();
    if (expires_at_ - now <= kRefreshMarginSeconds) {
        const std::uint64_t seen = generation_;
        const bool expired = expires_at_ <= now;
        lock.unlock();
        auto refreshed = refresh(seen);
        lock.lock();
        // A network failure before expiry is no reason to stop using the current token.
        if (!refreshed && (expired || refreshed.error().code != ErrorCode::Network)) {
            return std::unexpected(refreshed.error());
        }
        if (access_token_.empty()) {
            return fail(ErrorCode::NotLoggedIn, "Sign in to PassAgent first.");
        }
    }
    BearerToken out;
    out.header.reserve(22 + access_token_.size());
    out.header.append("Authorization: Bearer ").append(access_token_.view());
    out.generation = generation_;
    return out;
}

Result<void> AuthSession::refresh(std::uint64_t seen_generation) {
    std::unique_lock lock(mutex_);
    if (generation_ != seen_generation) {
        return {};  // someone else refreshed (or signed in) meanwhile
    }
    if (refreshing_) {
        refreshed_.wait(lock, [this] { return !refreshing_; });
        if (generation_ != seen_generation) {
            return {};
        }
        return std::unexpected(last_refresh_error_);
    }
    if (refresh_token_.empty()) {
        return fail(ErrorCode::NotLoggedIn, "Sign in to PassAgent first.");
    }
    refreshing_ = true;
    ++refreshes_;
    const std::uint64_t started_at = generation_;
    std::string body = refresh_grant_body(refresh_token_.view());
    lock.unlock();

    auto reply = token_request(Endpoint::RefreshGrant, "refresh_token", std::move(body));

    lock.lock();
    refreshing_ = false;
    Result<void> result;
    std::optional<std::uint64_t> rotated;
    if (generation_ != started_at) {
        // A sign-in or sign-out happened while we were away: that session wins.
        log::debug("passagent", "refresh finished after the session changed; result dropped");
    } else if (reply) {
        install(std::move(*reply));
        rotated = generation_;
    } else {
        last_refresh_error_ = reply.error();
        if (reply.error().code == ErrorCode::NotLoggedIn) {
            clear();
        }
        result = std::unexpected(reply.error());
    }
    lock.unlock();
    refreshed_.notify_all();
    if (rotated) {
        tell_sink(*rotated);  // the old refresh token is spent: the new one is kept
    }
    return result;
}

Result<void> AuthSession::logout() {
    std::string header;
    {
        std::lock_guard lock(mutex_);
        if (access_token_.empty()) {
            clear();
            return {};
        }
        header.append("Authorization: Bearer ").append(access_token_.view());
        clear();
    }
    http::HttpRequest request;
    request.method = "POST";
    request.url = logout_url(endpoints_);
    request.headers = {std::move(header), "apikey: " + anon_key_, "Accept: application/json"};
    request.timeout = std::chrono::seconds(10);
    auto response = client_.send(request);
    if (!response) {
        return std::unexpected(response.error());
    }
    // 401: the token had expired or been revoked already; either way it is dead now.
    if ((response->status >= 200 && response->status < 300) || response->status == 401) {
        return {};
    }
    return std::unexpected(map_error(Endpoint::Logout, response->status, response->body, response->headers, clock_()));
}

void AuthSession::forget() noexcept {
    std::lock_guard lock(mutex_);
    clear();
}

bool AuthSession::signed_in() const {
    std::lock_guard lock(mutex_);
    return !access_token_.empty();
}

bool AuthSession::mfa_pending() const {
    std::lock_guard lock(mutex_);
    return mfa_pending_;
}

void AuthSession::set_mfa_done() {
    std::lock_guard lock(mutex_);
    mfa_pending_ = false;
}

std::string AuthSession::user_id() const {
    std::lock_guard lock(mutex_);
    return user_id_;
}

std::string AuthSession::email() const {
    std::lock_guard lock(mutex_);
    return email_;
}

std::int64_t AuthSession::expires_at() const {
    std::lock_guard lock(mutex_);
    return expires_at_;
}

std::uint64_t AuthSession::refresh_count() const {
    std::lock_guard lock(mutex_);
    return refreshes_;
}

}  // namespace pah::passagent
