// SPDX-License-Identifier: MIT
// Supabase Auth on the wire: grant bodies, the token reply, JWT claims.
#include "backends/passagent/wire.hpp"

#include <algorithm>

#include <sodium.h>

#include "backends/passagent/json_fields.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

using nlohmann::json;

SecretBuffer password_grant_body(std::string_view email, std::string_view password) {
    // Facts: sign-in body {email, password}.
    return text::secret_json_object({{"email", email}, {"password", password}});
}

SecretBuffer two_factor_code_body(std::string_view code) {
    // Facts: POST /api/2fa/verify and /api/2fa/disable take {code}.
    return text::secret_json_object({{"code", code}});
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
    json claims = pah::text::parse_json(text);
    if (claims.is_discarded() || !claims.is_object()) {
        return std::nullopt;
    }
    return claims;
}

Result<TokenReply> parse_token_reply(std::string_view body, std::int64_t now) {
    // Facts: the 200 reply has access_token, token_type, expires_in, expires_at (newer),
    // refresh_token, user. NOTE: the parsed JSON holds the tokens in plain strings for
    // the length of this call (nlohmann gives no way to wipe them).
    json reply = text::parse_json(body);
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
    if (const auto type = string_field(reply, "token_type"); type && to_lower(*type) != "bearer") {
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

}  // namespace pah::passagent
