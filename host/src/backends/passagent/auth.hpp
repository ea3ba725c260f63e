// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "backends/passagent/wire.hpp"
#include "http/client.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

// The Authorization header of one request and the token generation it came from
// (give the generation back to refresh() after a 401).
struct BearerToken {
    // "Authorization: Bearer <jwt>". WARNING: the token in a plain std::string; it goes
    // straight into an HttpRequest, whose header lines HttpClient wipes after sending
    // (libcurl keeps its own unwiped copy for the length of the request: unavoidable).
    std::string header;
    std::uint64_t generation = 0;
};

// A Supabase Auth session: sign-in with password, the tokens in SecretBuffers, refresh
// before expiry and after a 401, logout. Thread-safe. Refresh tokens are single-use,
// so a refresh is single-flight: one request at a time; other threads wait for its
// result instead of sending their own.
class AuthSession {
public:
    using Clock = std::function<std::int64_t()>;  // Unix seconds
    // Told every new refresh token (after a sign-in and after each refresh) with the
    // session generation it belongs to; called with no lock held.
    using RefreshTokenSink = std::function<void(const SecretBuffer& refresh_token, std::uint64_t generation)>;
    // Refresh when the access token has less than this left.
    static constexpr std::int64_t kRefreshMarginSeconds = 60;

    AuthSession(http::HttpClient& client, Endpoints endpoints, std::string anon_key, Clock clock = {});

    // POST {auth}/auth/v1/token?grant_type=password. Replaces any current session.
    // BAD_CREDENTIALS, RATE_LIMITED (retryAfter), NETWORK, ...
    Result<void> sign_in(std::string_view email, std::string_view password);

    // The header for the next request; refreshes first when the token is about to expire.
    Result<BearerToken> bearer();

    // Refreshes the tokens unless that already happened since `seen_generation` (another
    // thread did it, or a new sign-in). Exactly one refresh is in flight at a time.
    // A refused refresh ends the session (NOT_LOGGED_IN); a network failure keeps it.
    Result<void> refresh(std::uint64_t seen_generation);

    // A remembered session: `refresh_token` (kept from an earlier run) is exchanged for
    // new tokens at once. NOT_LOGGED_IN when the server refuses it.
    Result<void> resume(std::string_view email, SecretBuffer refresh_token);
    void set_refresh_token_sink(RefreshTokenSink sink);
    // A copy of the current refresh token (empty when signed out) and its generation.
    [[nodiscard]] SecretBuffer refresh_token_copy(std::uint64_t& generation) const;

    // POST {auth}/auth/v1/logout with the bearer. The local tokens are wiped first,
    // whatever the server answers.
    Result<void> logout();
    // Wipes the tokens here without telling the server.
    void forget() noexcept;

    [[nodiscard]] bool signed_in() const;
    [[nodiscard]] bool mfa_pending() const;
    void set_mfa_done();
    [[nodiscard]] std::string user_id() const;
    [[nodiscard]] std::string email() const;
    [[nodiscard]] std::int64_t expires_at() const;
    [[nodiscard]] std::uint64_t refresh_count() const;

private:
    // `secret_body`, when given, is sent instead of `body`, from locked memory.
    Result<TokenReply> token_request(Endpoint endpoint, std::string_view grant, std::string body,
                                     const SecretBuffer* secret_body = nullptr);
    void install(TokenReply&& reply);  // under mutex_
    void clear() noexcept;             // under mutex_
    // Tells the sink of the tokens of `generation` (copied under mutex_; the caller holds
    // no lock).
    void tell_sink(std::uint64_t generation);

    http::HttpClient& client_;
    Endpoints endpoints_;
    std::string anon_key_;
    Clock clock_;

    mutable std::mutex mutex_;
    std::condition_variable refreshed_;
    SecretBuffer access_token_;
    SecretBuffer refresh_token_;
    std::int64_t expires_at_ = 0;
    std::string user_id_;
    std::string email_;
    bool mfa_pending_ = false;
    std::uint64_t generation_ = 0;  // bumped by every sign-in, refresh and sign-out
    bool refreshing_ = false;
    Error last_refresh_error_;
    std::uint64_t refreshes_ = 0;
    RefreshTokenSink sink_;
};

}  // namespace pah::passagent
