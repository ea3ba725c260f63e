// SPDX-License-Identifier: MIT
// The typed calls: one function per API route, each checked by its reply parser.
#include "backends/passagent/api.hpp"

#include <unordered_set>
#include <utility>

#include "backends/passagent/assumptions.hpp"
#include "http/url.hpp"
#include "secure/wipe.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxPages = 10'000;

Result<void> ok_or(Result<json>&& reply) {
    if (!reply) {
        return std::unexpected(reply.error());
    }
    return {};
}

template <class T, class Parse>
Result<T> typed(Result<http::HttpResponse>&& response, Parse&& parse) {
    if (!response) {
        return std::unexpected(response.error());
    }
    return parse(response->body);
}

}  // namespace

Result<SaltReply> PassAgentApi::vault_salt(const RequestOptions& options) {
    return typed<SaltReply>(exchange("GET", "/vault/salt", {}, options), parse_salt_reply);
}

Result<KeysReply> PassAgentApi::vault_keys(const RequestOptions& options) {
    return typed<KeysReply>(exchange("GET", "/vault/keys", {}, options), parse_keys_reply);
}

Result<ListSummary> PassAgentApi::list_passwords(const PageHandler& on_page, const RequestOptions& options,
                                                 PageRequest first) {
    ListSummary summary;
    PageRequest asked = std::move(first);
    std::unordered_set<std::string> seen_ids;
    std::unordered_set<std::string> seen_cursors;
    for (;;) {
        auto response = exchange("GET", passwords_path(asked), {}, options);
        if (!response) {
            return std::unexpected(response.error());
        }
        auto page = parse_password_page(response->body, asked);
        if (!page) {
            return std::unexpected(page.error());
        }
        ++summary.pages;
        summary.style = page->style;
        summary.skipped += page->skipped;
        // Drop records seen on an earlier page (a server that ignores the cursor, or a
        // record that moved while we were paging).
        const std::size_t before = page->records.size();
        std::erase_if(page->records, [&](const json& r) { return !seen_ids.insert(r["id"].get<std::string>()).second; });
        const bool nothing_new = before > 0 && page->records.empty();
        summary.records += page->records.size();
        const ListProgress progress{summary.pages, summary.records, page->total};
        if (on_page && !on_page(*page, progress)) {
            break;
        }
        if (nothing_new || summary.pages >= kMaxPages) {
            break;
        }
        if (page->next_page) {
            asked.page = page->next_page;
            asked.cursor.reset();
        } else if (page->next_cursor && seen_cursors.insert(*page->next_cursor).second) {
            asked.cursor = page->next_cursor;
            asked.page.reset();
        } else {
            break;
        }
    }
    return summary;
}

Result<json> PassAgentApi::get_password(std::string_view id) {
    auto reply = request("GET", "/passwords/" + segment(id));
    if (!reply) {
        return reply;
    }
    json record = reply->is_object() && reply->contains("data") ? (*reply)["data"] : *reply;
    if (!record.is_object() || !record.contains("id")) {
        return fail(ErrorCode::BadFormat, "The PassAgent server sent a record without an id.");
    }
    return record;
}

Result<TotpConfig> PassAgentApi::totp_config(std::string_view id, const RequestOptions& options) {
    return typed<TotpConfig>(exchange("GET", "/passwords/" + segment(id) + "/totp", {}, options),
                             parse_totp_config);
}

Result<ServerTotpCode> PassAgentApi::totp_code(std::string_view id) {
    return typed<ServerTotpCode>(exchange("GET", "/passwords/" + segment(id) + "/totp/code", {}, {}),
                                 parse_totp_code);
}

Result<void> PassAgentApi::set_totp(std::string_view id, const json& body) {
    if (!body.is_object() || !body.contains("secretEncrypted")) {
        return fail(ErrorCode::BadRequest, "A TOTP secret to store needs secretEncrypted.");
    }
    return ok_or(request("POST", "/passwords/" + segment(id) + "/totp", body));
}

Result<void> PassAgentApi::delete_totp(std::string_view id) {
    return ok_or(request("DELETE", "/passwords/" + segment(id) + "/totp"));
}

Result<std::vector<std::uint8_t>> PassAgentApi::user_public_key(std::string_view email) {
    return typed<std::vector<std::uint8_t>>(
        exchange("GET", "/users/public-key?email=" + http::percent_encode(email), {}, {}), parse_public_key_reply);
}

Result<SharesList> PassAgentApi::list_shares(std::string_view type, std::string_view account_id,
                                             const RequestOptions& options) {
    if (type != "owned" && type != "received") {
        return fail(ErrorCode::BadRequest, "The share list type is \"owned\" or \"received\".");
    }
    std::string path = "/sharing?type=" + std::string(type);
    if (!account_id.empty()) {
        path += "&accountId=" + http::percent_encode(account_id);
    }
    return typed<SharesList>(exchange("GET", path, {}, options), parse_shares_list);
}

Result<json> PassAgentApi::create_share(const json& body) {
    const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return typed<json>(exchange("POST", "/sharing", text, {}), parse_share_created);
}

Result<json> PassAgentApi::update_share(std::string_view id, const json& body) {
    return request("PATCH", "/sharing/" + segment(id), body);
}

Result<void> PassAgentApi::delete_share(std::string_view id) {
    return ok_or(request("DELETE", "/sharing/" + segment(id)));
}

Result<void> PassAgentApi::log_share_view(std::string_view id, std::string_view action) {
    if (action != "password_viewed" && action != "password_copied") {
        return fail(ErrorCode::BadRequest, "A share view is \"password_viewed\" or \"password_copied\".");
    }
    return ok_or(request("POST", share_view_path(segment(id)), json{{"action", action}}));
}

Result<json> PassAgentApi::create_session_share(std::string body) {
    auto response = exchange("POST", "/session-shares", body, {});
    http::wipe(body);
    return typed<json>(std::move(response), parse_session_share_created);
}

Result<json> PassAgentApi::update_session_share(std::string_view id, const json& body) {
    return request("PATCH", "/session-shares/" + segment(id), body);
}

Result<void> PassAgentApi::delete_session_share(std::string_view id) {
    return ok_or(request("DELETE", "/session-shares/" + segment(id)));
}

Result<void> PassAgentApi::watch_session_share(std::string_view id, const StatusHandler& handler,
                                               const RequestOptions& options) {
    Error bad;
    bool failed = false;
    RequestOptions stream_options = options;
    if (stream_options.timeout == RequestOptions{}.timeout) {
        // Facts (seed 000): the server polls for up to 5 minutes.
        stream_options.timeout = std::chrono::minutes(6);
    }
    auto streamed = stream_sse(
        "/session-shares/" + segment(id) + "/status",
        [&](const http::SseEvent& event) {
            auto parsed = parse_session_status_event(event.type, event.data);
            if (!parsed) {
                bad = parsed.error();
                failed = true;
                return false;
            }
            const bool go_on = handler ? handler(*parsed) : true;
            return go_on && !parsed->final;
        },
        stream_options);
    if (!streamed) {
        return streamed;
    }
    if (failed) {
        return std::unexpected(bad);
    }
    return {};
}

Result<json> PassAgentApi::twofa_enroll() {
    // The TOTP secret and recovery codes: the body is read without leaving copies and
    // wiped once parsed; the parsed reply is wiped after it is written (sensitive_reply).
    RequestOptions options;
    options.secret_reply = true;
    auto response = exchange("POST", "/2fa/enroll", "{}", options);
    if (!response) {
        return std::unexpected(response.error());
    }
    auto reply = parse_twofa_enroll(response->body);
    wipe_string(response->body);
    return reply;
}

Result<void> PassAgentApi::twofa_verify(std::string_view code) {
    auto reply = request_secret("POST", "/2fa/verify", two_factor_code_body(code));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    if (!reply->is_object() || reply->value("verified", false) != true) {
        return fail(ErrorCode::BadCredentials, "The verification code is wrong.");
    }
    return {};
}

Result<json> PassAgentApi::twofa_status() {
    return typed<json>(exchange("GET", "/2fa/status", {}, {}), parse_twofa_status);
}

Result<void> PassAgentApi::twofa_disable(std::string_view code) {
    return ok_or(request_secret("POST", "/2fa/disable", two_factor_code_body(code)));
}

}  // namespace pah::passagent
