// SPDX-License-Identifier: MIT
// totp.code: computed here at request time for secrets the host holds, asked of the
// server for entries whose secret only the server has (PassAgent legacy).
#include <variant>

#include "actions/actions.hpp"
#include "actions/common.hpp"
#include "match/url_match.hpp"
#include "protocol/params.hpp"
#include "totp/totp.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

Result<json> totp_code(Services& services, RequestContext& ctx) {
    const json& params = ctx.params().json();
    auto entry = unlocked_entry(services, params);
    if (!entry) {
        return std::unexpected(entry.error());
    }
    UnlockedAccount* account = &entry->account;
    const ItemSummary* item = entry->item;
    std::string purpose = "show";
    if (params.contains("purpose")) {
        auto given = params::required_enum(params, "purpose", {"fill", "copy", "view"});
        if (!given) {
            return std::unexpected(given.error());
        }
        purpose = *given;
    }
    if (auto url = params::optional_string(params, "url"); !url) {
        return std::unexpected(url.error());
    } else if (!url->has_value() && purpose == "fill") {
        return std::unexpected(params::bad_field(
            "url", "params.url is required with purpose \"fill\": the code is filled only into a page that matches the entry."));
    } else if (url->has_value()) {
        // Optional: the extension names the page it will fill the code into.
        auto page = match::parse_url(**url);
        if (!page || !page->is_web() || !match::match_score(*page, *item)) {
            return fail(ErrorCode::UrlMismatch,
                        "This one-time code is not for this page, so it was not filled.");
        }
    }
    if (!item->has_totp) {
        return fail(ErrorCode::NoTotp, "This entry has no one-time code (TOTP) set up.");
    }
    auto source = account->ref.backend->totp(item->id);
    if (!source) {
        return std::unexpected(source.error());
    }
    if (auto* server = std::get_if<ServerTotpCode>(&*source)) {
        return json{{"code", server->code},     {"remaining", server->remaining},
                    {"period", server->period}, {"digits", server->digits},
                    {"algorithm", server->algorithm}};
    }
    const auto& secret = std::get<TotpSecret>(*source);
    auto algorithm = parse_totp_algorithm(secret.algorithm);
    if (!algorithm || secret.digits < static_cast<int>(kTotpMinDigits) ||
        secret.digits > static_cast<int>(kTotpMaxDigits) || secret.period <= 0) {
        return fail(ErrorCode::BadFormat,
                    "This entry's one-time code settings are not supported (algorithm, digits or "
                    "period). Check them in PassAgent.");
    }
    TotpParams totp_params;
    totp_params.algorithm = *algorithm;
    totp_params.digits = static_cast<unsigned>(secret.digits);
    totp_params.period_seconds = static_cast<std::uint32_t>(secret.period);
    const TotpCode code = totp_now(secret.key.span(), totp_params);
    return json{{"code", code.code},
                {"remaining", code.remaining},
                {"period", code.period},
                {"digits", code.digits},
                {"algorithm", std::string(totp_algorithm_name(code.algorithm))}};
}

}  // namespace

void register_totp(Dispatcher& dispatcher, Services& services) {
    // On a worker: the first code of an entry may fetch its encrypted secret, and legacy
    // entries ask the server; a slow server still delays no other request.
    dispatcher.add("totp.code",
                   {.handler = [&services](RequestContext& ctx) { return totp_code(services, ctx); },
                    .sensitive_reply = true});
}

}  // namespace pah::actions
