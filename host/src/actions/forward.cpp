// SPDX-License-Identifier: MIT
// Backend-specific actions: passed to the account's backend as they are. A backend that
// has no such feature answers UNSUPPORTED.
#include <array>

#include "actions/actions.hpp"
#include "actions/common.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

struct Forwarded {
    std::string_view name;
    bool sensitive_reply;
};

constexpr std::array kForwarded = {
    Forwarded{"totp.set", false},           Forwarded{"totp.delete", false},
    Forwarded{"shares.list", false},        Forwarded{"shares.create", true},
    Forwarded{"shares.update", false},      Forwarded{"shares.accept", false},
    Forwarded{"shares.delete", false},      Forwarded{"sessionShares.create", true},
    Forwarded{"sessionShares.update", false}, Forwarded{"sessionShares.delete", false},
    Forwarded{"twoFactor.status", false},   Forwarded{"twoFactor.enroll", true},
    Forwarded{"twoFactor.verify", false},   Forwarded{"twoFactor.disable", false},
};

}  // namespace

void register_forwarded(Dispatcher& dispatcher, Services& services) {
    for (const auto& forwarded : kForwarded) {
        const std::string name(forwarded.name);
        dispatcher.add(name, {.handler =
                                  [&services, name](RequestContext& ctx) -> Result<json> {
                                      auto ref = services.accounts().resolve(ctx.params());
                                      if (!ref) {
                                          return std::unexpected(ref.error());
                                      }
                                      return ref->backend->call(name, ctx.params(), progress_of(ctx));
                                  },
                              .sensitive_reply = forwarded.sensitive_reply});
    }
}

}  // namespace pah::actions
