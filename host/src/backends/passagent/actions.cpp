// SPDX-License-Identifier: MIT
// The PassAgent backend's own actions: the one table (name, flags, handler) that
// Backend::call dispatches through and the host registers from (backend_actions.hpp).
#include <array>

#include "backends/passagent/backend.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

using B = PassAgentBackend;

}  // namespace

std::span<const BackendAction<PassAgentBackend>> PassAgentBackend::action_table() {
    static constexpr std::array<BackendAction<B>, 14> kTable{{
        {{.name = "totp.set"}, &B::totp_set},
        {{.name = "totp.delete"}, &B::totp_delete},
        {{.name = "shares.list"}, &B::shares_list},
        {{.name = "shares.create", .sensitive_reply = true}, &B::shares_create},  // inviteToken
        {{.name = "shares.update"}, &B::shares_update},
        {{.name = "shares.accept"}, &B::shares_accept},
        {{.name = "shares.delete"}, &B::shares_delete},
        {{.name = "sessionShares.create", .sensitive_reply = true}, &B::session_shares_create},  // shareToken
        {{.name = "sessionShares.update"}, &B::session_shares_update},
        {{.name = "sessionShares.delete"}, &B::session_shares_delete},
        {{.name = "twoFactor.status"}, &B::two_factor_status},
        {{.name = "twoFactor.enroll", .sensitive_reply = true}, &B::two_factor_enroll},  // secret, recovery codes
        {{.name = "twoFactor.verify"}, &B::two_factor_verify},
        {{.name = "twoFactor.disable"}, &B::two_factor_disable},
    }};
    return kTable;
}

Result<json> PassAgentBackend::call(std::string_view action, const Params& params, const Progress& progress) {
    auto out = call_action(*this, action_table(), action, params, progress);
    if (!out) {
        return std::unexpected(seen(out.error()));
    }
    return out;
}

}  // namespace pah::passagent
