// SPDX-License-Identifier: MIT
// credentials.list: every readable entry of every unlocked account (or one), filtered by
// a query, paged by an opaque cursor; summaries only, never a password.
#include <algorithm>
#include <map>
#include <utility>
#include <mutex>

#include "actions/actions.hpp"
#include "actions/common.hpp"
#include "actions/summary.hpp"
#include "match/item_search.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

constexpr std::int64_t kDefaultLimit = 100;
constexpr std::int64_t kMaxLimit = 1000;
// A page stops growing before this many bytes of JSON, well under the 1 MiB frame cap.
constexpr std::size_t kMaxPageBytes = std::size_t{768} * 1024;

// One search index per account, rebuilt when the account's item list changes (a sync,
// a write, a lock).
class SearchCache {
public:
    std::shared_ptr<const match::ItemSearch> get(const std::string& account, const std::shared_ptr<const ItemList>& items) {
        std::lock_guard lock(mu_);
        auto& slot = by_account_[account];
        if (!slot || !slot->built_from(items)) {
            slot = std::make_shared<const match::ItemSearch>(items);
        }
        return slot;
    }
    // A locked or signed-out account's index goes (it holds names and addresses).
    void forget(const std::string& account) {
        std::lock_guard lock(mu_);
        by_account_.erase(account);
    }

private:
    std::mutex mu_;
    std::map<std::string, std::shared_ptr<const match::ItemSearch>> by_account_;
};

Result<std::size_t> parse_cursor(const json& params) {
    auto cursor = params::optional_string(params, "cursor");
    if (!cursor) {
        return std::unexpected(cursor.error());
    }
    if (!cursor->has_value()) {
        return 0;
    }
    const std::string& text = **cursor;
    std::size_t value = 0;
    if (text.empty() || text.size() > 12 || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) {
        return std::unexpected(params::bad_field("cursor", "params.cursor must be a cursor a previous credentials.list returned."));
    }
    for (const char c : text) {
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
}

Result<json> list_credentials(SearchCache& cache, Services& services, RequestContext& ctx) {
    const json& params = ctx.params().json();
    auto query = params::optional_string(params, "query");
    if (!query) {
        return std::unexpected(query.error());
    }
    auto limit = params::optional_int(params, "limit", 1, kMaxLimit);
    if (!limit) {
        return std::unexpected(limit.error());
    }
    auto cursor = parse_cursor(params);
    if (!cursor) {
        return std::unexpected(cursor.error());
    }
    auto accounts = accounts_in_scope(services, params);
    if (!accounts) {
        return std::unexpected(accounts.error());
    }
    const std::size_t want = static_cast<std::size_t>(limit->value_or(kDefaultLimit));
    const std::string text = query->value_or("");
    json items = json::array();
    std::size_t bytes = 0;
    std::size_t skip = *cursor;  // matches the earlier pages returned, over every account in order
    bool any_unlocked = false;
    bool more = false;
    for (const auto& ref : *accounts) {
        auto list = ref.backend->items();
        if (!list) {
            cache.forget(ref.id);
            continue;
        }
        any_unlocked = true;
        if (more) {
            continue;
        }
        const auto search = cache.get(ref.id, list);
        // Enough for the entries to skip, this page, and one more (is there a next page?).
        const auto hits = search->find(text, skip + (want - items.size()) + 1);
        if (skip >= hits.size()) {
            skip -= hits.size();
            continue;
        }
        for (std::size_t i = std::exchange(skip, 0); i < hits.size(); ++i) {
            if (items.size() >= want || bytes >= kMaxPageBytes) {
                more = true;
                break;
            }
            json summary = summary_json(ref.id, (*list)[hits[i]]);
            bytes += summary.dump().size() + 1;
            items.push_back(std::move(summary));
        }
    }
    if (!any_unlocked) {
        bool any_logged_in = false;
        for (const auto& ref : *accounts) {
            any_logged_in = any_logged_in || ref.backend->info().logged_in;
        }
        if (!any_logged_in) {
            return fail(ErrorCode::NotLoggedIn, "You are signed out. Sign in to your password manager again.");
        }
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it with your master password.");
    }
    json out{{"items", json::array()}};
    if (more) {
        out["cursor"] = std::to_string(*cursor + items.size());
    }
    out["items"] = std::move(items);
    return out;
}

}  // namespace

void register_credentials_list(Dispatcher& dispatcher, Services& services) {
    auto cache = std::make_shared<SearchCache>();
    dispatcher.add("credentials.list",
                   {.handler = [&services, cache](RequestContext& ctx) { return list_credentials(*cache, services, ctx); },
                    .run_on = RunOn::Reader});
}

}  // namespace pah::actions
