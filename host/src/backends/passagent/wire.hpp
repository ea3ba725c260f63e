// SPDX-License-Identifier: MIT
#pragma once

// PassAgent's published wire formats, all pure (no I/O): URLs, request bodies, the
// Supabase token reply, every error shape, the list-paging shapes and the replies the
// backend reads. What the seeds and public docs do not publish is in assumptions.hpp.
// docs/passagent-client.md describes the module; its implementation is split by concern
// (endpoints, auth_wire, wire_errors, replies, share_replies).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/passagent/assumptions.hpp"
#include "http/headers.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"
#include "text/json_string.hpp"

namespace pah::passagent {

// ---------------------------------------------------------------- URLs

struct Endpoints {
    std::string api_base;   // "<server>/api", no trailing slash
    std::string auth_base;  // "<auth origin>/auth/v1"
};

// `server` is the PassAgent origin as a user writes it ("https://passagent.ai",
// ".../api", a trailing slash: all fine). `auth_url` is the Supabase origin; empty
// means the server's own origin. https only, or http to a loopback host.
Result<Endpoints> make_endpoints(std::string_view server, std::string_view auth_url = {});

// `path` is relative to /api and starts with '/': "/vault/salt", "/passwords?limit=100".
std::string api_url(const Endpoints& endpoints, std::string_view path);
std::string token_url(const Endpoints& endpoints, std::string_view grant_type);
std::string logout_url(const Endpoints& endpoints);
// A record, share or session id as one percent-encoded path segment ("../x" stays inert).
std::string segment(std::string_view id);

// ---------------------------------------------------------------- request bodies

// JSON text built by hand. The password grant and the 2FA code bodies are written
// straight into locked memory (sent as HttpRequest::secret_body); the refresh grant is a
// std::string the HTTP client wipes after sending.
SecretBuffer password_grant_body(std::string_view email, std::string_view password);
SecretBuffer two_factor_code_body(std::string_view code);
std::string refresh_grant_body(std::string_view refresh_token);
using text::append_json_string;  // text/json_string.hpp

// ---------------------------------------------------------------- tokens

struct TokenReply {
    SecretBuffer access_token;
    SecretBuffer refresh_token;
    std::int64_t expires_at = 0;  // Unix seconds: the JWT's exp, else expires_at, else now + expires_in
    std::string user_id;
    std::string email;
    // The user has a verified second factor and this token is not yet aal2: the API
    // answers MFA_REQUIRED until the code is verified.
    bool mfa_pending = false;
};

// The 200 reply of /auth/v1/token. `now` is Unix seconds.
Result<TokenReply> parse_token_reply(std::string_view body, std::int64_t now);

// The `exp` claim (seconds) of a JWT, read from its base64url payload without checking
// the signature (only the server can, and it does). Nothing when it is not a JWT.
std::optional<std::int64_t> jwt_exp(std::string_view jwt);
// The whole JWT payload (same caveat); nothing when it is not a JWT.
std::optional<nlohmann::json> jwt_payload(std::string_view jwt);

// A value that may go into a header line: printable ASCII, no CR/LF, bounded size.
bool is_header_safe(std::string_view value) noexcept;

// ---------------------------------------------------------------- errors

enum class Endpoint { PasswordGrant, RefreshGrant, Logout, Api };

using HeaderMap = std::map<std::string, std::string>;  // lower-case names

// Maps a non-2xx reply in any of PassAgent's or Supabase's error shapes to an Error:
// {error, code, status} (+details), {error, error_code}, {code, error_code, msg},
// {code, message}, {error, error_description}. `now` (Unix seconds) reads an HTTP-date
// Retry-After. Extra wire fields: httpStatus, retryAfter, maxAgeSeconds, details.
Error map_error(Endpoint endpoint, long status, std::string_view body, const HeaderMap& headers,
                std::int64_t now);

using http::parse_retry_after;  // http/headers.hpp

// Statuses worth retrying for an idempotent request: 500, 502, 503, 504.
bool is_retryable_status(long status) noexcept;

// ---------------------------------------------------------------- replies

// A checked JSON object from a reply body (BAD_FORMAT otherwise).
Result<nlohmann::json> parse_object(std::string_view body);

// Base64 in any of its dialects: standard or URL-safe alphabet, padded or not.
Result<std::vector<std::uint8_t>> decode_base64(std::string_view text);

// GET /api/auth/csrf-token → {csrfToken}.
Result<std::string> parse_csrf_reply(std::string_view body);

// Listing passwords: cursor paging (seeds), page paging (public docs) or none.
struct PageRequest {
    std::optional<std::string> cursor;
    std::optional<int> page;
    int limit = 100;
};
std::string passwords_path(const PageRequest& request);

enum class PagingStyle { Cursor, Page, Unpaged };
struct PasswordPage {
    std::vector<nlohmann::json> records;  // objects with a string "id"
    std::size_t skipped = 0;              // entries that were not such objects
    PagingStyle style = PagingStyle::Unpaged;
    std::optional<std::string> next_cursor;
    std::optional<int> next_page;
    std::optional<std::int64_t> total;
};
Result<PasswordPage> parse_password_page(std::string_view body, const PageRequest& asked);

struct ServerTotpCode {
    std::string code;
    int remaining = 0;
};
// GET /api/passwords/{id}/totp/code (legacy entries).
Result<ServerTotpCode> parse_totp_code(std::string_view body);

struct SharesList {
    std::vector<nlohmann::json> shares;  // objects with a string "id"
    std::size_t skipped = 0;
    bool setup_required = false;
};
Result<SharesList> parse_shares_list(std::string_view body);

// POST /api/sharing → the share object ({success, share:{id, ...}}).
Result<nlohmann::json> parse_share_created(std::string_view body);
// POST /api/session-shares → {id, shareToken, shareUrl, status, expiresAt, ...}.
Result<nlohmann::json> parse_session_share_created(std::string_view body);

// One event of GET /api/session-shares/{id}/status.
struct SessionStatusEvent {
    std::string type;     // "status", "complete", "timeout", ...
    nlohmann::json data;  // the JSON object of its data lines
    bool final = false;   // the stream is over after this one
};
Result<SessionStatusEvent> parse_session_status_event(std::string_view type, std::string_view data);

// Account 2FA replies.
Result<nlohmann::json> parse_twofa_enroll(std::string_view body);  // {qrCodeUri, secret, recoveryCodes}
Result<nlohmann::json> parse_twofa_status(std::string_view body);  // {enrolled, method?, enrolledAt?}

}  // namespace pah::passagent
