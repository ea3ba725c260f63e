// SPDX-License-Identifier: MIT
#include "backends/passagent/wire.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>

#include <sodium.h>

#include "http/url.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTokenBytes = 16U * 1024U;

Error bad_format(std::string_view what) {
    return {ErrorCode::BadFormat, "The PassAgent server sent an unexpected reply: " + std::string(what) + "."};
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string strip_trailing_slashes(std::string_view text) {
    while (!text.empty() && text.back() == '/') {
        text.remove_suffix(1);
    }
    return std::string(text);
}

std::string origin_of(const http::UrlParts& parts) {
    std::string host = parts.host.find(':') != std::string::npos ? "[" + parts.host + "]" : parts.host;
    return parts.scheme + "://" + host + (parts.port.empty() ? "" : ":" + parts.port);
}

const json* field(const json& obj, std::string_view name) {
    if (!obj.is_object()) {
        return nullptr;
    }
    const auto it = obj.find(name);
    return it == obj.end() ? nullptr : &*it;
}

std::optional<std::string> string_field(const json& obj, std::string_view name) {
    const json* v = field(obj, name);
    if (v == nullptr || !v->is_string()) {
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::int64_t> int_field(const json& obj, std::string_view name) {
    const json* v = field(obj, name);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_number_integer()) {
        return v->get<std::int64_t>();
    }
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (d >= -9.0e15 && d <= 9.0e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

std::optional<bool> bool_field(const json& obj, std::string_view name) {
    const json* v = field(obj, name);
    if (v == nullptr || !v->is_boolean()) {
        return std::nullopt;
    }
    return v->get<bool>();
}

// Records and shares need a usable id; numbers are taken as text.
bool normalise_id(json& item) {
    if (!item.is_object()) {
        return false;
    }
    const auto it = item.find("id");
    if (it == item.end()) {
        return false;
    }
    if (it->is_number_integer()) {
        *it = std::to_string(it->get<std::int64_t>());
    }
    return it->is_string() && !it->get_ref<const std::string&>().empty() &&
           it->get_ref<const std::string&>().size() <= 512;
}

std::optional<std::int64_t> days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    // Howard Hinnant's algorithm: days since 1970-01-01.
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9U)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int month_index(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
    const std::string l = lower(name);
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (l == kMonths.at(i)) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
    if (text.size() > 64) {
        return std::nullopt;
    }
    const std::string s(text);
    std::array<char, 16> wk{};
    std::array<char, 4> mon{};
    int day = 0;
    int year = 0;
    int hh = 0;
    int mm = 0;
    int ss = 0;
    int consumed = 0;
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wk.data(), &day, mon.data(),
                    &year, &hh, &mm, &ss, &consumed) == 7 &&
        static_cast<std::size_t>(consumed) == s.size()) {
    } else if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n", wk.data(), &day,
                           mon.data(), &year, &hh, &mm, &ss, &consumed) == 7 &&
               static_cast<std::size_t>(consumed) == s.size()) {
        // RFC 850: a two-digit year (RFC 9110: read it as the nearest past century).
        year += year < 70 ? 2000 : 1900;
    } else if (std::sscanf(s.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wk.data(), mon.data(), &day,
                           &hh, &mm, &ss, &year, &consumed) == 7 &&
               static_cast<std::size_t>(consumed) == s.size()) {
        // asctime: "Sun Nov  6 08:49:37 1994"
    } else {
        return std::nullopt;
    }
    const int month = month_index(mon.data());
    if (month == 0 || day < 1 || day > 31 || year < 1970 || year > 9999 || hh > 23 || mm > 59 || ss > 60 ||
        hh < 0 || mm < 0 || ss < 0) {
        return std::nullopt;
    }
    const auto days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    if (!days) {
        return std::nullopt;
    }
    return *days * 86400 + hh * 3600 + mm * 60 + ss;
}

// The details array of a validation error, as [{field, message}].
json normalise_details(const json& details) {
    json out = json::array();
    if (!details.is_array()) {
        return out;
    }
    for (const auto& d : details) {
        if (out.size() >= 50) {
            break;
        }
        json item = json::object();
        if (const auto f = string_field(d, "field")) {
            item["field"] = *f;
        } else if (const json* path = field(d, "path"); path != nullptr && path->is_array()) {
            std::string joined;  // zod's issue shape: path: ["a", 0, "b"]
            for (const auto& p : *path) {
                if (!joined.empty()) {
                    joined += '.';
                }
                joined += p.is_string() ? p.get<std::string>() : p.dump();
            }
            item["field"] = joined;
        }
        if (const auto m = string_field(d, "message")) {
            item["message"] = m->substr(0, 500);
        }
        if (!item.empty()) {
            out.push_back(std::move(item));
        }
    }
    return out;
}

std::string default_message(long status) {
    switch (status) {
        case 400: return "The PassAgent server refused the request as invalid.";
        case 401: return "You are not signed in to PassAgent (or the session has ended).";
        case 403: return "PassAgent refused the request (not allowed).";
        case 404: return "Not found on the PassAgent server.";
        case 409: return "That already exists on the PassAgent server.";
        case 410: return "That is no longer available on the PassAgent server.";
        case 413: return "The request is too large for the PassAgent server.";
        case 422: return "The PassAgent server could not process the request.";
        case 429: return "Too many requests to PassAgent; wait a moment and try again.";
        default: break;
    }
    if (status >= 500) {
        return "The PassAgent server had a problem (HTTP " + std::to_string(status) + "); try again later.";
    }
    return "The PassAgent server answered HTTP " + std::to_string(status) + ".";
}

bool is_base64_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '-' || c == '_';
}

}  // namespace

// ================================================================ URLs

Result<Endpoints> make_endpoints(std::string_view server, std::string_view auth_url) {
    // Facts: base URL https://passagent.ai/api; local development http://localhost:3000/api.
    std::string base = strip_trailing_slashes(server);
    if (base.ends_with("/api")) {
        base.resize(base.size() - 4);
        base = strip_trailing_slashes(base);
    }
    auto parts = http::check_transport(base);
    if (!parts) {
        return std::unexpected(parts.error());
    }
    if (!parts->query.empty()) {
        return fail(ErrorCode::BadRequest, "The PassAgent server address must not have a query (?...).");
    }
    Endpoints out;
    out.api_base = origin_of(*parts) + (parts->path == "/" ? "" : strip_trailing_slashes(parts->path)) + "/api";
    // ASSUMPTION (passagent-api.md, Assumptions): Supabase Auth is served at authUrl
    // (default: the same origin) under /auth/v1.
    std::string auth_origin;
    if (auth_url.empty()) {
        auth_origin = origin_of(*parts);
    } else {
        std::string a = strip_trailing_slashes(auth_url);
        if (a.ends_with("/auth/v1")) {
            a.resize(a.size() - 8);
            a = strip_trailing_slashes(a);
        }
        auto auth_parts = http::check_transport(a);
        if (!auth_parts) {
            return std::unexpected(auth_parts.error());
        }
        if (!auth_parts->query.empty()) {
            return fail(ErrorCode::BadRequest, "The PassAgent sign-in address must not have a query (?...).");
        }
        auth_origin = origin_of(*auth_parts) +
                      (auth_parts->path == "/" ? "" : strip_trailing_slashes(auth_parts->path));
    }
    out.auth_base = auth_origin + "/auth/v1";
    return out;
}

std::string api_url(const Endpoints& endpoints, std::string_view path) {
    std::string out = endpoints.api_base;
    if (!path.starts_with('/')) {
        out.push_back('/');
    }
    out.append(path);
    return out;
}

std::string token_url(const Endpoints& endpoints, std::string_view grant_type) {
    return endpoints.auth_base + "/token?grant_type=" + http::percent_encode(grant_type);
}

std::string logout_url(const Endpoints& endpoints) { return endpoints.auth_base + "/logout"; }

std::string segment(std::string_view id) { return http::percent_encode(id); }

// ================================================================ bodies

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                if (u < 0x20) {
                    out.append("\\u00");
                    out.push_back(kHex[u >> 4U]);
                    out.push_back(kHex[u & 0x0fU]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

std::string password_grant_body(std::string_view email, std::string_view password) {
    // Facts: sign-in body {email, password}.
    std::string out;
    out.reserve(email.size() + password.size() * 2 + 32);
    out.append("{\"email\":");
    append_json_string(out, email);
    out.append(",\"password\":");
    append_json_string(out, password);
    out.push_back('}');
    return out;
}

std::string refresh_grant_body(std::string_view refresh_token) {
    // Facts: refresh with grant_type=refresh_token and {refresh_token}.
    std::string out;
    out.reserve(refresh_token.size() + 24);
    out.append("{\"refresh_token\":");
    append_json_string(out, refresh_token);
    out.push_back('}');
    return out;
}

// ================================================================ tokens

bool is_header_safe(std::string_view value) noexcept {
    if (value.empty() || value.size() > kMaxTokenBytes) {
        return false;
    }
    return std::ranges::all_of(value, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f;
    });
}

std::optional<std::int64_t> jwt_exp(std::string_view jwt) {
    const auto claims = jwt_payload(jwt);
    if (!claims) {
        return std::nullopt;
    }
    return int_field(*claims, "exp");
}

std::optional<json> jwt_payload(std::string_view jwt) {
    if (jwt.size() > kMaxTokenBytes) {
        return std::nullopt;
    }
    const auto first = jwt.find('.');
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    const auto second = jwt.find('.', first + 1);
    if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    auto payload = decode_base64(jwt.substr(first + 1, second - first - 1));
    if (!payload) {
        return std::nullopt;
    }
    const std::string_view text(reinterpret_cast<const char*>(payload->data()), payload->size());
    json claims = json::parse(text, nullptr, false);
    if (claims.is_discarded() || !claims.is_object()) {
        return std::nullopt;
    }
    return claims;
}

Result<TokenReply> parse_token_reply(std::string_view body, std::int64_t now) {
    // Facts: the 200 reply has access_token, token_type, expires_in, expires_at (newer),
    // refresh_token, user. NOTE: the parsed JSON holds the tokens in plain strings for
    // the length of this call (nlohmann gives no way to wipe them).
    json reply = json::parse(body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        return std::unexpected(bad_format("the sign-in reply is not a JSON object"));
    }
    const json* access = field(reply, "access_token");
    const json* refresh = field(reply, "refresh_token");
    if (access == nullptr || !access->is_string() || !is_header_safe(access->get_ref<const std::string&>())) {
        return std::unexpected(bad_format("the sign-in reply has no usable access_token"));
    }
    if (refresh == nullptr || !refresh->is_string() || !is_header_safe(refresh->get_ref<const std::string&>())) {
        return std::unexpected(bad_format("the sign-in reply has no usable refresh_token"));
    }
    if (const auto type = string_field(reply, "token_type"); type && lower(*type) != "bearer") {
        return std::unexpected(bad_format("the token type is not bearer"));
    }
    TokenReply out;
    std::string& access_text = reply["access_token"].get_ref<std::string&>();
    std::string& refresh_text = reply["refresh_token"].get_ref<std::string&>();
    out.access_token = SecretBuffer::copy_of(access_text);
    out.refresh_token = SecretBuffer::copy_of(refresh_text);
    // Facts: read exp (seconds) from the JWT payload; expires_at / expires_in as fallbacks.
    const auto claims = jwt_payload(access_text);
    const auto exp = claims ? int_field(*claims, "exp") : std::nullopt;
    if (exp) {
        out.expires_at = *exp;
    } else if (const auto at = int_field(reply, "expires_at")) {
        out.expires_at = *at;
    } else if (const auto in = int_field(reply, "expires_in"); in && *in > 0 && *in < 10LL * 365 * 86400) {
        out.expires_at = now + *in;
    } else {
        out.expires_at = now + 3600;  // Facts: access tokens last 3600 s by default.
    }
    sodium_memzero(access_text.data(), access_text.size());
    sodium_memzero(refresh_text.data(), refresh_text.size());
    if (const json* user = field(reply, "user"); user != nullptr && user->is_object()) {
        out.user_id = string_field(*user, "id").value_or("");
        out.email = string_field(*user, "email").value_or("");
        // Supabase: a verified factor on the user and an aal1 token mean the second step
        // is still to come.
        bool verified_factor = false;
        if (const json* factors = field(*user, "factors"); factors != nullptr && factors->is_array()) {
            for (const auto& f : *factors) {
                verified_factor = verified_factor || string_field(f, "status") == "verified";
            }
        }
        const std::string aal = claims ? string_field(*claims, "aal").value_or("") : "";
        out.mfa_pending = verified_factor && aal != "aal2";
    }
    return out;
}

// ================================================================ errors

std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
    }
    if (value.empty()) {
        return std::nullopt;
    }
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
        if (value.size() > 10) {
            return std::numeric_limits<std::int32_t>::max();
        }
        std::int64_t seconds = 0;
        for (const char c : value) {
            seconds = seconds * 10 + (c - '0');
        }
        return seconds;
    }
    const auto when = parse_http_date(value);
    if (!when) {
        return std::nullopt;
    }
    return std::max<std::int64_t>(0, *when - now);
}

bool is_retryable_status(long status) noexcept {
    return status == 500 || status == 502 || status == 503 || status == 504;
}

Error map_error(Endpoint endpoint, long status, std::string_view body, const HeaderMap& headers,
                std::int64_t now) {
    const json reply = json::parse(body.substr(0, 1024U * 1024U), nullptr, false);
    const json obj = !reply.is_discarded() && reply.is_object() ? reply : json::object();

    // Machine-readable code: {code: "X"} (PassAgent, Supabase "code" shape), error_code
    // (Supabase), or OAuth's {error, error_description}.
    std::string code;
    if (const auto c = string_field(obj, "code")) {
        code = *c;
    } else if (const auto ec = string_field(obj, "error_code")) {
        code = *ec;
    } else if (field(obj, "error_description") != nullptr) {
        code = string_field(obj, "error").value_or("");
    }
    if (code.empty()) {
        code = string_field(obj, "error_code").value_or("");
    }
    const std::string lcode = lower(code);

    // A person's message: error_description, msg, message, else a PassAgent {error}.
    std::string message;
    for (const char* key : {"error_description", "msg", "message"}) {
        if (const auto m = string_field(obj, key); m && !m->empty()) {
            message = *m;
            break;
        }
    }
    if (message.empty() && field(obj, "error_description") == nullptr) {
        message = string_field(obj, "error").value_or("");
    }
    if (message.size() > 500) {
        message.resize(500);
    }

    json extra = json::object();
    extra["httpStatus"] = status;
    const auto header = [&](const char* name) -> std::optional<std::string> {
        const auto it = headers.find(name);
        return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const auto with = [&](ErrorCode c, std::string fallback) {
        return Error{c, message.empty() ? std::move(fallback) : message, extra};
    };

    // Facts (step-up): 401 {code: STEP_UP_AUTH_REQUIRED, maxAgeSeconds} with
    // x-require-reauth / x-reauth-max-age. Not token expiry: never refresh for it.
    if (lcode == "step_up_auth_required" || header("x-require-reauth") == "true") {
        std::int64_t max_age = 300;
        if (const auto m = int_field(obj, "maxAgeSeconds")) {
            max_age = *m;
        } else if (const auto h = header("x-reauth-max-age")) {
            max_age = parse_retry_after(*h, now).value_or(300);
        }
        extra["maxAgeSeconds"] = max_age;
        return with(ErrorCode::StepUpRequired,
                    "PassAgent asks you to sign in again (within " + std::to_string(max_age) +
                        " s) before doing this.");
    }
    // ASSUMPTION (the project's test server): a 2FA-enrolled session that has not
    // verified its code gets 401 {code: "MFA_REQUIRED"} (Supabase says insufficient_aal).
    if (lcode == "mfa_required" || lcode == "insufficient_aal" || lcode == "mfa_verification_required") {
        return Error{ErrorCode::OtpRequired, "Enter the code from your authenticator app to finish signing in.",
                     extra};
    }
    // Facts (rate limits): 429 with Retry-After; bodies {error, code, status} or
    // {error, error_code: "rate_limit_exceeded"}; Supabase says over_request_rate_limit.
    if (status == 429 || lcode == "rate_limited" || lcode == "rate_limit_exceeded" ||
        lcode == "over_request_rate_limit" || lcode == "over_email_send_rate_limit") {
        std::string text = "Too many requests to PassAgent";
        if (const auto ra = header("retry-after")) {
            if (const auto seconds = parse_retry_after(*ra, now)) {
                extra["retryAfter"] = *seconds;
                text += "; try again in " + std::to_string(*seconds) + " s";
            }
        }
        return Error{ErrorCode::RateLimited, message.empty() ? text + "." : message, extra};
    }

    if (endpoint == Endpoint::PasswordGrant && (status == 400 || status == 401 || status == 403)) {
        if (lcode == "invalid_grant" || lcode == "invalid_credentials" || lcode == "user_not_found" ||
            lcode == "email_not_confirmed" || lcode == "user_banned" || status == 401) {
            const bool unconfirmed = lcode == "email_not_confirmed";
            return Error{ErrorCode::BadCredentials,
                         unconfirmed ? "Confirm your email address before signing in to PassAgent."
                                     : "Wrong email or password for PassAgent.",
                         extra};
        }
        if (lcode == "validation_failed" || lcode == "invalid_request") {
            return with(ErrorCode::Validation, "PassAgent refused the sign-in request as incomplete.");
        }
        return with(ErrorCode::BadCredentials, "PassAgent refused the sign-in.");
    }
    if (endpoint == Endpoint::RefreshGrant && status >= 400 && status < 500) {
        const bool reused = lcode == "refresh_token_already_used";
        return Error{ErrorCode::NotLoggedIn,
                     reused ? "Your PassAgent session was ended because its refresh token was used twice; "
                              "sign in again."
                            : "Your PassAgent session has ended; sign in again.",
                     extra};
    }

    switch (status) {
        case 400: {
            if (const json* details = field(obj, "details"); details != nullptr) {
                extra["details"] = normalise_details(*details);
            }
            return with(ErrorCode::Validation, default_message(400));
        }
        case 401:
            // 2FA verify: 401 {error: "Invalid verification code", verified: false} is a
            // wrong code, not an expired session (seed 002).
            if (bool_field(obj, "verified") == false) {
                return with(ErrorCode::BadCredentials, "The verification code is wrong.");
            }
            return with(ErrorCode::NotLoggedIn, default_message(401));
        case 403: return with(ErrorCode::Forbidden, default_message(403));
        case 404: return with(ErrorCode::NotFound, default_message(404));
        case 409: return with(ErrorCode::Conflict, default_message(409));
        case 410: return with(ErrorCode::Gone, default_message(410));
        case 413: return with(ErrorCode::TooLarge, default_message(413));
        case 422: {
            if (const json* details = field(obj, "details"); details != nullptr) {
                extra["details"] = normalise_details(*details);
            }
            return with(ErrorCode::Validation, default_message(422));
        }
        case 405:
        case 501: return with(ErrorCode::Unsupported, "This PassAgent server does not support the request.");
        default: break;
    }
    if (status >= 500) {
        return Error{ErrorCode::Server, default_message(status), extra};
    }
    return with(ErrorCode::BadRequest, default_message(status));
}

// ================================================================ replies

Result<json> parse_object(std::string_view body) {
    json reply = json::parse(body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        return std::unexpected(bad_format("the reply is not a JSON object"));
    }
    return reply;
}

Result<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
    while (!text.empty() && (text.back() == '=' || text.back() == ' ' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    if (text.size() > 64U * 1024U * 1024U || !std::ranges::all_of(text, is_base64_char)) {
        return std::unexpected(bad_format("a value is not base64"));
    }
    const bool url_safe = text.find_first_of("-_") != std::string_view::npos;
    if (url_safe && text.find_first_of("+/") != std::string_view::npos) {
        return std::unexpected(bad_format("a value mixes the two base64 alphabets"));
    }
    std::vector<std::uint8_t> out(text.size() * 3 / 4 + 1);
    std::size_t len = 0;
    const int variant = url_safe ? sodium_base64_VARIANT_URLSAFE_NO_PADDING : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr, variant) != 0) {
        return std::unexpected(bad_format("a value is not valid base64"));
    }
    out.resize(len);
    return out;
}

Result<Box> parse_box(const json& value) {
    // ASSUMPTION (passagent-api.md, Assumptions): an {iv, ciphertext} value may arrive as
    // an object or as a JSON string. Facts: base64 in API examples, base64url in the SDK.
    json parsed;
    const json* obj = &value;
    if (value.is_string()) {
        parsed = json::parse(value.get_ref<const std::string&>(), nullptr, false);
        if (parsed.is_discarded()) {
            return std::unexpected(bad_format("an encrypted value is neither an object nor JSON text"));
        }
        obj = &parsed;
    }
    const auto iv_text = string_field(*obj, "iv");
    const auto ct_text = string_field(*obj, "ciphertext");
    if (!iv_text || !ct_text) {
        return std::unexpected(bad_format("an encrypted value lacks iv or ciphertext"));
    }
    auto iv = decode_base64(*iv_text);
    auto ct = decode_base64(*ct_text);
    if (!iv || !ct) {
        return std::unexpected(bad_format("an encrypted value is not base64"));
    }
    // Facts: a random 12-byte IV, the 16-byte tag appended to the ciphertext.
    if (iv->size() != 12 || ct->size() < 16) {
        return std::unexpected(bad_format("an encrypted value has the wrong IV or tag size"));
    }
    return Box{std::move(*iv), std::move(*ct)};
}

Result<std::string> parse_csrf_reply(std::string_view body) {
    // Facts: GET /api/auth/csrf-token → {csrfToken}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    auto token = string_field(*reply, "csrfToken");
    if (!token || !is_header_safe(*token) || token->size() > 1024) {
        return std::unexpected(bad_format("the CSRF reply has no usable csrfToken"));
    }
    return *token;
}

Result<SaltReply> parse_salt_reply(std::string_view body) {
    // ASSUMPTION (passagent-api.md, Assumptions): GET /api/vault/salt → {salt: <base64url>,
    // kdf: {algorithm: "argon2id", memoryKiB, iterations, parallelism}, verifier?: {iv,
    // ciphertext}}; the Argon2id salt is the decoded bytes.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    SaltReply out;
    const auto salt_text = string_field(*reply, "salt");
    if (!salt_text) {
        return std::unexpected(bad_format("the vault salt is missing"));
    }
    auto salt = decode_base64(*salt_text);
    if (!salt || salt->size() < 8 || salt->size() > 64) {
        return std::unexpected(bad_format("the vault salt is not 8 to 64 bytes of base64"));
    }
    out.salt = std::move(*salt);
    // Facts: 64 MiB, 3 iterations, 4 lanes unless the server says otherwise (honour it).
    if (const json* kdf = field(*reply, "kdf"); kdf != nullptr && !kdf->is_null()) {
        if (!kdf->is_object()) {
            return std::unexpected(bad_format("the KDF parameters are not an object"));
        }
        if (const auto alg = string_field(*kdf, "algorithm"); alg && lower(*alg) != "argon2id") {
            return fail(ErrorCode::Unsupported, "This PassAgent vault uses the key derivation \"" +
                                                    alg->substr(0, 40) + "\", which is not supported.");
        }
        const auto get = [&](const char* name, std::int64_t def, std::int64_t lo, std::int64_t hi,
                             std::uint32_t* dst) -> bool {
            const json* v = field(*kdf, name);
            if (v == nullptr) {
                *dst = static_cast<std::uint32_t>(def);
                return true;
            }
            const auto n = int_field(*kdf, name);
            if (!n || *n < lo || *n > hi) {
                return false;
            }
            *dst = static_cast<std::uint32_t>(*n);
            return true;
        };
        // Upper bounds: 1 GiB, 64 passes, 64 lanes — beyond that a server could stall
        // or exhaust this computer.
        if (!get("memoryKiB", 65536, 8, 1024 * 1024, &out.kdf.memory_kib) ||
            !get("iterations", 3, 1, 64, &out.kdf.iterations) ||
            !get("parallelism", 4, 1, 64, &out.kdf.parallelism)) {
            return std::unexpected(bad_format("the KDF parameters are out of range"));
        }
        if (out.kdf.memory_kib < 8 * out.kdf.parallelism) {
            return std::unexpected(bad_format("the KDF memory is too small for its lanes"));
        }
    }
    if (const json* verifier = field(*reply, "verifier"); verifier != nullptr && !verifier->is_null()) {
        auto box = parse_box(*verifier);
        if (!box) {
            return std::unexpected(box.error());
        }
        out.verifier = std::move(*box);
    }
    return out;
}

Result<KeysReply> parse_keys_reply(std::string_view body) {
    // ASSUMPTION (passagent-api.md, Assumptions): GET /api/vault/keys → {publicKey: <base64
    // SPKI DER>, encryptedPrivateKey: {iv, ciphertext}}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto pk = string_field(*reply, "publicKey");
    const json* epk = field(*reply, "encryptedPrivateKey");
    if (!pk || epk == nullptr) {
        return std::unexpected(bad_format("the key pair reply lacks publicKey or encryptedPrivateKey"));
    }
    auto der = decode_base64(*pk);
    if (!der || der->empty() || der->size() > 16384) {
        return std::unexpected(bad_format("the public key is not base64 DER"));
    }
    auto box = parse_box(*epk);
    if (!box) {
        return std::unexpected(box.error());
    }
    return KeysReply{std::move(*der), std::move(*box)};
}

Result<std::vector<std::uint8_t>> parse_public_key_reply(std::string_view body) {
    // ASSUMPTION (passagent-api.md, Assumptions): GET /api/users/public-key?email= → {publicKey}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto pk = string_field(*reply, "publicKey");
    if (!pk) {
        return std::unexpected(bad_format("the public key reply lacks publicKey"));
    }
    auto der = decode_base64(*pk);
    if (!der || der->empty() || der->size() > 16384) {
        return std::unexpected(bad_format("the public key is not base64 DER"));
    }
    return std::move(*der);
}

std::string passwords_path(const PageRequest& request) {
    // Facts: seeds ?limit=50&cursor=<last id> (limit max 100); public docs ?page=&limit=.
    std::string out = "/passwords?limit=" + std::to_string(std::clamp(request.limit, 1, 100));
    if (request.page) {
        out += "&page=" + std::to_string(*request.page);
    } else if (request.cursor) {
        out += "&cursor=" + http::percent_encode(*request.cursor);
    }
    return out;
}

Result<PasswordPage> parse_password_page(std::string_view body, const PageRequest& asked) {
    json reply = json::parse(body, nullptr, false);
    if (reply.is_discarded()) {
        return std::unexpected(bad_format("the password list is not JSON"));
    }
    json* list = nullptr;
    const json* pagination = nullptr;
    if (reply.is_array()) {
        list = &reply;
    } else if (reply.is_object()) {
        for (const char* key : {"data", "passwords", "items", "records"}) {
            auto it = reply.find(key);
            if (it != reply.end() && it->is_array()) {
                list = &*it;
                break;
            }
        }
        if (const json* p = field(reply, "pagination"); p != nullptr && p->is_object()) {
            pagination = p;
        } else {
            pagination = &reply;  // pagination fields at the top level
        }
    }
    if (list == nullptr) {
        return std::unexpected(bad_format("the password list has no array of records"));
    }
    PasswordPage page;
    page.records.reserve(list->size());
    for (auto& item : *list) {
        if (normalise_id(item)) {
            page.records.push_back(std::move(item));
        } else {
            ++page.skipped;
        }
    }
    const auto last_id = [&]() -> std::optional<std::string> {
        if (page.records.empty()) {
            return std::nullopt;
        }
        return page.records.back()["id"].get<std::string>();
    };
    const bool has_cursor_fields =
        pagination != nullptr && (field(*pagination, "nextCursor") != nullptr ||
                                  field(*pagination, "next_cursor") != nullptr ||
                                  field(*pagination, "hasMore") != nullptr);
    const bool has_page_fields =
        pagination != nullptr && (int_field(*pagination, "page").has_value() || int_field(*pagination, "total").has_value());
    if (has_cursor_fields) {
        page.style = PagingStyle::Cursor;
        auto next = string_field(*pagination, "nextCursor");
        if (!next) {
            next = string_field(*pagination, "next_cursor");
        }
        const auto more = bool_field(*pagination, "hasMore");
        if (more != false) {
            if (next && !next->empty()) {
                page.next_cursor = *next;
            } else if (more == true) {
                page.next_cursor = last_id();
            }
        }
        if (const auto total = int_field(*pagination, "total")) {
            page.total = *total;
        }
    } else if (has_page_fields) {
        page.style = PagingStyle::Page;
        // Clamped so that a hostile page or limit cannot overflow page * limit.
        const std::int64_t number =
            std::clamp<std::int64_t>(int_field(*pagination, "page").value_or(asked.page.value_or(1)), 0, 1'000'000);
        std::int64_t limit = int_field(*pagination, "limit").value_or(asked.limit);
        if (limit <= 0 || limit > 100'000) {
            limit = std::max(asked.limit, 1);
        }
        page.total = int_field(*pagination, "total");
        const bool more = page.total ? number * limit < *page.total : list->size() >= static_cast<std::size_t>(limit);
        if (more && !list->empty() && number >= 1 && number < 1'000'000) {
            page.next_page = static_cast<int>(number + 1);
        }
    } else {
        // No paging information: a full page suggests more (seeds: cursor = last id).
        page.style = PagingStyle::Unpaged;
        if (asked.limit > 0 && list->size() >= static_cast<std::size_t>(asked.limit)) {
            page.next_cursor = last_id();
        }
    }
    return page;
}

Result<TotpConfig> parse_totp_config(std::string_view body) {
    // Facts (seed 002): {hasTotp, zeroTrust, secretEncrypted?, algorithm, digits, period}.
    // ASSUMPTION (passagent-api.md, Assumptions): an entry without TOTP answers 200 {hasTotp: false}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    TotpConfig out;
    auto has = bool_field(*reply, "hasTotp");
    if (!has) {
        has = bool_field(*reply, "has_totp");
    }
    if (!has) {
        return std::unexpected(bad_format("the TOTP reply lacks hasTotp"));
    }
    out.has_totp = *has;
    if (!out.has_totp) {
        return out;
    }
    const json* secret = field(*reply, "secretEncrypted");
    out.zero_trust = bool_field(*reply, "zeroTrust").value_or(secret != nullptr && !secret->is_null());
    if (out.zero_trust) {
        if (secret == nullptr) {
            return std::unexpected(bad_format("a zero-trust TOTP entry has no secretEncrypted"));
        }
        auto box = parse_box(*secret);
        if (!box) {
            return std::unexpected(box.error());
        }
        out.secret_encrypted = std::move(*box);
    }
    if (const auto alg = string_field(*reply, "algorithm")) {
        std::string a = lower(*alg);
        std::erase(a, '-');
        if (a == "sha1" || a == "sha256" || a == "sha512") {
            out.algorithm = "SHA" + a.substr(3);
        } else {
            return fail(ErrorCode::Unsupported, "The TOTP algorithm \"" + alg->substr(0, 20) + "\" is not supported.");
        }
    }
    const auto digits = int_field(*reply, "digits").value_or(6);
    const auto period = int_field(*reply, "period").value_or(30);
    if (digits < 4 || digits > 10 || period < 1 || period > 3600) {
        return std::unexpected(bad_format("the TOTP digits or period are out of range"));
    }
    out.digits = static_cast<int>(digits);
    out.period = static_cast<int>(period);
    return out;
}

Result<ServerTotpCode> parse_totp_code(std::string_view body) {
    // Facts (seed 002): {code, remaining}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto code = string_field(*reply, "code");
    if (!code || code->size() < 4 || code->size() > 10 ||
        code->find_first_not_of("0123456789") != std::string::npos) {
        return std::unexpected(bad_format("the TOTP code is not 4 to 10 digits"));
    }
    const auto remaining = int_field(*reply, "remaining").value_or(0);
    return ServerTotpCode{*code, static_cast<int>(std::clamp<std::int64_t>(remaining, 0, 3600))};
}

Result<SharesList> parse_shares_list(std::string_view body) {
    // Facts (seed 000): {shares: [...], setup_required}.
    json reply = json::parse(body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        return std::unexpected(bad_format("the share list is not a JSON object"));
    }
    auto it = reply.find("shares");
    if (it == reply.end() || !it->is_array()) {
        return std::unexpected(bad_format("the share list has no shares array"));
    }
    SharesList out;
    out.setup_required = bool_field(reply, "setup_required").value_or(false);
    for (auto& share : *it) {
        if (normalise_id(share)) {
            if (const json* account = field(share, "account"); account != nullptr && !account->is_object() &&
                                                                !account->is_null()) {
                ++out.skipped;
                continue;
            }
            out.shares.push_back(std::move(share));
        } else {
            ++out.skipped;
        }
    }
    return out;
}

Result<json> parse_share_created(std::string_view body) {
    // Facts (seed 000): 201 {success: true, share: {id, ...}}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    auto it = reply->find("share");
    if (it == reply->end() || !normalise_id(*it)) {
        return std::unexpected(bad_format("the new share has no id"));
    }
    return std::move(*it);
}

Result<json> parse_session_share_created(std::string_view body) {
    // Facts (seed 000): 201 {id, shareToken, shareUrl, status, estimatedCostCents, expiresAt,
    // serviceName, loginMethod}. The shareToken comes only once.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    if (!normalise_id(*reply) || !string_field(*reply, "shareToken") || !string_field(*reply, "shareUrl")) {
        return std::unexpected(bad_format("the new session share lacks id, shareToken or shareUrl"));
    }
    return std::move(*reply);
}

Result<SessionStatusEvent> parse_session_status_event(std::string_view type, std::string_view data) {
    // Facts (seed 000): `event: status|complete`, `data: {json}`.
    json parsed = json::parse(data, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return std::unexpected(bad_format("a session status event is not a JSON object"));
    }
    SessionStatusEvent out;
    out.type = type.empty() || type == "message" ? string_field(parsed, "type").value_or("message") : std::string(type);
    out.final = out.type == "complete" || out.type == "timeout" || out.type == "error";
    out.data = std::move(parsed);
    return out;
}

Result<json> parse_twofa_enroll(std::string_view body) {
    // Facts (seed 002): {qrCodeUri, secret, recoveryCodes}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const json* codes = field(*reply, "recoveryCodes");
    if (!string_field(*reply, "qrCodeUri") || !string_field(*reply, "secret") || codes == nullptr ||
        !codes->is_array() || !std::ranges::all_of(*codes, [](const json& c) { return c.is_string(); })) {
        return std::unexpected(bad_format("the 2FA enrollment reply lacks qrCodeUri, secret or recoveryCodes"));
    }
    return std::move(*reply);
}

Result<json> parse_twofa_status(std::string_view body) {
    // Facts (seed 002): {enrolled, method, enrolledAt}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    if (!bool_field(*reply, "enrolled")) {
        return std::unexpected(bad_format("the 2FA status lacks enrolled"));
    }
    return std::move(*reply);
}

}  // namespace pah::passagent
