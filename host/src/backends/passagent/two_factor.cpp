// SPDX-License-Identifier: MIT
// twoFactor.status / enroll / verify / disable: the PassAgent account's own 2FA.
#include "backends/passagent/backend.hpp"
#include "protocol/params.hpp"

namespace pah::passagent {

using nlohmann::json;

Result<json> PassAgentBackend::two_factor_status(const Params& /*params*/, const Progress& /*progress*/) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    return (*api)->twofa_status();
}

Result<json> PassAgentBackend::two_factor_enroll(const Params& /*params*/, const Progress& /*progress*/) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    // The secret and recovery codes go to the user once; this host keeps none of them.
    return (*api)->twofa_enroll();
}

Result<json> PassAgentBackend::two_factor_verify(const Params& params, const Progress& /*progress*/) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto code = params::required_secret(params, "code");
    if (!code) {
        return std::unexpected(code.error());
    }
    if (auto verified = (*api)->twofa_verify((*code)->view()); !verified) {
        return std::unexpected(verified.error());
    }
    return json{{"verified", true}};
}

Result<json> PassAgentBackend::two_factor_disable(const Params& params, const Progress& /*progress*/) {
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto code = params::required_secret(params, "code");
    if (!code) {
        return std::unexpected(code.error());
    }
    if (auto disabled = (*api)->twofa_disable((*code)->view()); !disabled) {
        return std::unexpected(disabled.error());
    }
    return json{{"disabled", true}};
}

}  // namespace pah::passagent
