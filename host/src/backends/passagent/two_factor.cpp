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

namespace {

// verify and disable: the account's session, the code from locked memory, one call.
template <class Call>
Result<json> with_code(const Result<std::shared_ptr<PassAgentApi>>& api, const Params& params, Call call,
                       const char* done) {
    if (!api) {
        return std::unexpected(api.error());
    }
    auto code = params::required_secret(params, "code");
    if (!code) {
        return std::unexpected(code.error());
    }
    if (auto sent = call(**api, (*code)->view()); !sent) {
        return std::unexpected(sent.error());
    }
    return json{{done, true}};
}

}  // namespace

Result<json> PassAgentBackend::two_factor_verify(const Params& params, const Progress& /*progress*/) {
    return with_code(
        session(), params, [](PassAgentApi& api, std::string_view code) { return api.twofa_verify(code); },
        "verified");
}

Result<json> PassAgentBackend::two_factor_disable(const Params& params, const Progress& /*progress*/) {
    return with_code(
        session(), params, [](PassAgentApi& api, std::string_view code) { return api.twofa_disable(code); },
        "disabled");
}

}  // namespace pah::passagent
