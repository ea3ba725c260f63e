// SPDX-License-Identifier: MIT
// Error replies: every PassAgent and Supabase error shape to an Error; Retry-After.
#include "backends/passagent/wire.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/json_fields.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

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

}  // namespace

bool is_retryable_status(long status) noexcept {
    return status == 500 || status == 502 || status == 503 || status == 504;
}

Error map_error(Endpoint endpoint, long status, std::string_view body, const HeaderMap& headers,
                std::int64_t now) {
    const json reply = text::parse_json(body.substr(0, std::size_t{1024} * 1024));
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
    const std::string lcode = to_lower(code);

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
    // A2 (assumptions.hpp): a session whose 2FA code is still to come.
    if (is_mfa_required_code(lcode)) {
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

}  // namespace pah::passagent
