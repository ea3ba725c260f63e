// SPDX-License-Identifier: MIT
// shares.logView and the automatic view log of credentials.get.
#include "actions/share_views.hpp"

#include "actions/actions.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

ShareViewQueue::Sender sender_for(const AccountRef& account) {
    return [backend = account.backend](std::string_view share_id, std::string_view action) {
        return backend->send_share_view(share_id, action);
    };
}

// Waiting logs of `account` go on the retry timer. It holds the backend weakly: a
// session that ended (signed out, replaced) is not kept alive for it.
void retry_later(Services& services, const AccountRef& account) {
    std::weak_ptr<Backend> weak = account.backend;
    ShareViewQueue::Sender sender = [weak](std::string_view share_id,
                                           std::string_view action) -> Result<void> {
        const auto backend = weak.lock();
        if (!backend) {
            return fail(ErrorCode::NotLoggedIn, "The account has signed out.");
        }
        return backend->send_share_view(share_id, action);
    };
    services.share_view_retry().schedule(
        account.id, [&queue = services.share_views(), id = account.id, sender = std::move(sender)] {
            return queue.flush(id, sender);
        });
}

}  // namespace

bool record_share_view(Services& services, const AccountRef& account, const std::string& share_id,
                       const std::string& action) {
    const bool queued = services.share_views().submit(account.id, share_id, action, sender_for(account));
    if (queued) {
        log::info("shares", "a share view is queued on disk; it will be sent when the server answers");
        retry_later(services, account);
    }
    return queued;
}

void flush_share_views(Services& services, const AccountRef& account) {
    if (services.share_views().pending(account.id).empty()) {
        return;
    }
    const auto result = services.share_views().flush(account.id, sender_for(account));
    log::info("shares", "sent " + std::to_string(result.sent) + " queued share view(s), " +
                            std::to_string(result.remaining) + " still waiting");
    if (result.remaining > 0) {
        retry_later(services, account);
    }
}

void register_share_views(Dispatcher& dispatcher, Services& services) {
    dispatcher.add(
        "shares.logView",
        {.handler = [&services](RequestContext& ctx) -> Result<json> {
             auto share_id = params::required_id(ctx.params(), "shareId");
             if (!share_id) {
                 return std::unexpected(share_id.error());
             }
             auto action = params::required_enum(ctx.params(), "action",
                                                 {"password_viewed", "password_copied"});
             if (!action) {
                 return std::unexpected(action.error());
             }
             auto ref = services.accounts().resolve(ctx.params().json());
             if (!ref) {
                 return std::unexpected(ref.error());
             }
             return json{{"queued", record_share_view(services, *ref, *share_id, *action)}};
         }});
}

}  // namespace pah::actions
