// SPDX-License-Identifier: MIT
// hello, status: what the host is and which accounts it holds.
#include "actions/actions.hpp"
#include "protocol/envelope.hpp"
#include "version.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

json account_states(Services& services) {
    json accounts = json::array();
    for (const auto& ref : services.accounts().all()) {
        accounts.push_back(AccountManager::state_json(ref));
    }
    return accounts;
}

}  // namespace

void register_hello(Dispatcher& dispatcher, Services& services) {
    dispatcher.add("hello", {.handler = [&services](RequestContext&) -> Result<json> {
                                 json out = {
                                     {"protocol", kProtocolVersion},
                                     {"version", std::string(kVersion)},
                                     {"backends", services.accounts().backend_names()},
                                     {"accounts", account_states(services)},
                                 };
                                 if (services.config().error) {
                                     out["configError"] = *services.config().error;
                                 }
                                 return out;
                             },
                             .run_on = RunOn::Reader,
                             .user_activity = false});
    dispatcher.add("status", {.handler = [&services](RequestContext&) -> Result<json> {
                                  return json{{"accounts", account_states(services)}};
                              },
                              .run_on = RunOn::Reader,
                              .user_activity = false});
}

}  // namespace pah::actions
