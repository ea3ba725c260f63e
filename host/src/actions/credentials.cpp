// SPDX-License-Identifier: MIT
// credentials.match, credentials.get.
#include "actions/actions.hpp"
#include "actions/common.hpp"
#include "actions/share_views.hpp"
#include "actions/summary.hpp"
#include "match/url_match.hpp"
#include "protocol/envelope.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

json match_json(const std::string& account, const match::ScoredItem& scored) {
    const ItemSummary& item = *scored.item;
    json out = {{"account", account},     {"id", item.id},
                {"name", item.name},      {"username", item.username},
                {"website", item.website.empty() ? item.url : item.website},
                {"score", scored.score},  {"hasTotp", item.has_totp}};
    if (item.share) {
        out["share"] = share_json(*item.share);
    }
    return out;
}

Result<match::ParsedUrl> page_url(const json& params) {
    auto url = params::required_string(params, "url");
    if (!url) {
        return std::unexpected(url.error());
    }
    auto parsed = match::parse_url(*url);
    if (!parsed || !parsed->is_web()) {
        return std::unexpected(params::bad_field(
            "url", "params.url must be an http or https address with a host."));
    }
    return *parsed;
}

Result<json> match_credentials(Services& services, RequestContext& ctx) {
    auto page = page_url(ctx.params().json());
    if (!page) {
        return std::unexpected(page.error());
    }
    auto accounts = accounts_in_scope(services, ctx.params().json());
    if (!accounts) {
        return std::unexpected(accounts.error());
    }
    struct Found {
        std::string account;
        match::ScoredItem scored;
        std::shared_ptr<const match::MatchIndex> keep;
    };
    std::vector<Found> found;
    bool any_unlocked = false;
    bool any_logged_in = false;
    for (const auto& ref : *accounts) {
        auto index = services.match_cache().get(ref.id, ref.backend->items());
        if (!index) {
            any_logged_in = any_logged_in || ref.backend->info().logged_in;
            continue;
        }
        any_unlocked = true;
        for (const auto& scored : index->rank(*page)) {
            found.push_back(Found{ref.id, scored, index});
        }
    }
    if (!any_unlocked && !any_logged_in) {
        // Every login ended (signed out here, or the session expired at the server).
        return fail(ErrorCode::NotLoggedIn, "You are signed out. Sign in to your password manager again.");
    }
    if (!any_unlocked) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it with your master password.");
    }
    std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        return a.scored.score > b.scored.score;
    });
    json matches = json::array();
    for (const auto& f : found) {
        matches.push_back(match_json(f.account, f.scored));
    }
    return json{{"matches", std::move(matches)}};
}

Result<json> get_credential(Services& services, RequestContext& ctx) {
    const json& params = ctx.params().json();
    if (auto id = params::required_id(params, "id"); !id) {
        return std::unexpected(id.error());
    }
    auto purpose = params::required_enum(params, "purpose", {"fill", "copy", "view"});
    if (!purpose) {
        return std::unexpected(purpose.error());
    }
    auto entry = unlocked_entry(services, params);
    if (!entry) {
        return std::unexpected(entry.error());
    }
    UnlockedAccount* account = &entry->account;
    const ItemSummary* item = entry->item;
    if (*purpose == "fill" || params.contains("url")) {
        // A fill releases the secret only to a page that matches the entry.
        auto page = page_url(params);
        if (!page) {
            return std::unexpected(page.error());
        }
        if (!match::match_score(*page, *item)) {
            return fail(ErrorCode::UrlMismatch,
                        "This login is not for this page, so it was not filled. Check the "
                        "address: it may be a look-alike site.");
        }
    }
    auto credential = account->ref.backend->decrypt(item->id);
    if (!credential) {
        return std::unexpected(credential.error());
    }
    json out = {{"id", item->id},
                {"name", item->name},
                {"username", credential->username},
                {"password", std::string(credential->password.view())}};
    if (!credential->notes.empty()) {
        out["notes"] = std::string(credential->notes.view());
    }
    out["urls"] = credential->urls;
    out["fields"] = json::array();
    for (const auto& field : credential->fields) {
        out["fields"].push_back({{"name", field.name}, {"value", std::string(field.value.view())}, {"hidden", field.hidden}});
    }
    if (item->share) {
        const std::string action = *purpose == "copy" ? "password_copied" : "password_viewed";
        const bool queued = record_share_view(services, account->ref, item->share->id, action);
        out["share"] = share_json(*item->share);
        out["share"]["logged"] = action;
        out["share"]["queued"] = queued;
    }
    return out;
}

}  // namespace

void register_credentials(Dispatcher& dispatcher, Services& services) {
    dispatcher.add("credentials.match",
                   {.handler = [&services](RequestContext& ctx) { return match_credentials(services, ctx); },
                    .run_on = RunOn::Reader});
    dispatcher.add("credentials.get",
                   {.handler = [&services](RequestContext& ctx) { return get_credential(services, ctx); },
                    .sensitive_reply = true});
}

}  // namespace pah::actions
