// SPDX-License-Identifier: MIT
// Replies about the vault's contents: objects, base64, CSRF, password pages, TOTP codes.
#include "backends/passagent/wire.hpp"

#include <algorithm>

#include <sodium.h>

#include "backends/passagent/json_fields.hpp"
#include "http/url.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

using nlohmann::json;

Result<json> parse_object(std::string_view body) {
    json reply = text::parse_json(body);
    if (reply.is_discarded() || !reply.is_object()) {
        return std::unexpected(bad_format("the reply is not a JSON object"));
    }
    return reply;
}

Result<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
    while (!text.empty() && (text.back() == '=' || text.back() == ' ' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    if (text.size() > std::size_t{64} * 1024 * 1024 || !std::ranges::all_of(text, is_base64_char)) {
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

Result<PasswordPage> parse_password_page(std::string_view body, const PageRequest& asked) {
    json reply = text::parse_json(body);
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
            page.total = total;
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

}  // namespace pah::passagent
