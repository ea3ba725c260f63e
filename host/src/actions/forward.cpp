// SPDX-License-Identifier: MIT
// Backend-specific actions: every row of every backend's action table, registered once
// and passed to the account's backend as they are. A backend that has no such action
// answers UNSUPPORTED.

#include "actions/actions.hpp"
#include "actions/common.hpp"
#include "backends/backend_actions.hpp"

namespace pah::actions {

using nlohmann::json;

void register_forwarded(Dispatcher& dispatcher, Services& services) {
    for (const BackendActionInfo& action : backend_actions()) {
        // Two pointers (the row lives as long as the program): the handler fits in
        // std::function's own storage, no allocation for each of these actions at start.
        const BackendActionInfo* row = &action;
        dispatcher.add(std::string(action.name),
                       {.handler = [&services, row](RequestContext& ctx) -> Result<json> {
                            auto ref = services.accounts().resolve(ctx.params().json());
                            if (!ref) {
                                return std::unexpected(ref.error());
                            }
                            return ref->backend->call(row->name, ctx.params(), progress_of(ctx));
                        },
                        .sensitive_reply = action.sensitive_reply,
                        .user_activity = !action.background});
    }
}

}  // namespace pah::actions
