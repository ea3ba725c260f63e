// SPDX-License-Identifier: MIT
// twoFactor.status / enroll / verify / disable: the PassAgent account's own 2FA.
#include "backends/passagent/backend.hpp"
#include "protocol/params.hpp"

namespace pah::passagent {

using nlohmann::json;

Result<json> PassAgentBackend::two_factor(std::string_view action, const json& params) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    if (action == "twoFactor.status") {
        return (*api)->twofa_status();
    }
    if (action == "twoFactor.enroll") {
        // The secret and recovery codes go to the user once; this host keeps none of them.
        return (*api)->twofa_enroll();
    }
    if (action == "twoFactor.verify" || action == "twoFactor.disable") {
        auto code = params::required_string(params, "code");
        if (!code) {
            return std::unexpected(code.error());
        }
        if (action == "twoFactor.verify") {
            if (auto verified = (*api)->twofa_verify(*code); !verified) {
                return std::unexpected(verified.error());
            }
            return json{{"verified", true}};
        }
        if (auto disabled = (*api)->twofa_disable(*code); !disabled) {
            return std::unexpected(disabled.error());
        }
        return json{{"disabled", true}};
    }
    return fail(ErrorCode::UnknownAction, "\"" + std::string(action) + "\" is not a PassAgent 2FA action.");
}

}  // namespace pah::passagent
