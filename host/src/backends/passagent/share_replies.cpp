// SPDX-License-Identifier: MIT
// Replies about sharing (shares, session shares) and the account's 2FA.
#include "backends/passagent/wire.hpp"

#include <algorithm>

#include "backends/passagent/json_fields.hpp"
#include "secure/wipe.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

using nlohmann::json;

Result<SharesList> parse_shares_list(std::string_view body) {
    // Facts (seed 000): {shares: [...], setup_required}.
    json reply = text::parse_json(body);
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
    json parsed = text::parse_json(data);
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
    // Checked in place: string_field would copy the secret (twice, with the QR URI) into
    // strings freed unwiped.
    const auto is_text = [&](std::string_view name) {
        const json* value = field(*reply, name);
        return value != nullptr && value->is_string();
    };
    const json* codes = field(*reply, "recoveryCodes");
    if (!is_text("qrCodeUri") || !is_text("secret") || codes == nullptr ||
        !codes->is_array() || !std::ranges::all_of(*codes, [](const json& c) { return c.is_string(); })) {
        wipe_json(*reply);  // what it has may still be a secret
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
