// SPDX-License-Identifier: MIT
// shares.logView and the automatic view log of credentials.get.
#include "actions/share_views.hpp"

#include "actions/actions.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

bool record_share_view(Services& services, const AccountRef& account, const std::string& share_id,
                       const std::string& action) {
    (void)services;
    auto sent = account.backend->send_share_view(share_id, action);
    if (!sent) {
        log::warn("shares", "a share view could not be sent now: " + sent.error().message);
        return true;
    }
    return false;
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
             auto ref = services.accounts().resolve(ctx.params());
             if (!ref) {
                 return std::unexpected(ref.error());
             }
             return json{{"queued", record_share_view(services, *ref, *share_id, *action)}};
         }});
}

}  // namespace pah::actions
