// SPDX-License-Identifier: MIT
#pragma once

// A backend's own actions (shares.*, totp.set, ...), each declared once in its backend's
// table: name, flags, handler. Backend::call dispatches through the table, and the host
// registers the union of all tables (backend_actions.hpp). Adding a backend action is
// one row and one member function.

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"

namespace pah {

// What the host needs to know of a backend action to register it.
struct BackendActionInfo {
    std::string_view name;
    // The reply carries secrets (a share token, a 2FA secret): wiped after it is written.
    bool sensitive_reply = false;
    // Not a person's doing: does not restart the idle auto-lock timer.
    bool background = false;
};

template <class B>
struct BackendAction {
    BackendActionInfo info;
    Result<nlohmann::json> (B::*handler)(const Params& params, const Progress& progress);
};

// Runs `action` from `table` on `self`; UNSUPPORTED (as Backend::call) when the table has
// no such row.
template <class B>
Result<nlohmann::json> call_action(B& self, std::span<const BackendAction<B>> table, std::string_view action,
                                   const Params& params, const Progress& progress) {
    for (const auto& row : table) {
        if (row.info.name == action) {
            return (self.*(row.handler))(params, progress);
        }
    }
    return fail(ErrorCode::Unsupported,
                "\"" + std::string(action) + "\" is not available for " + std::string(self.kind()) + " accounts.");
}

// A backend `B` deriving from `Base` whose call() runs the rows of B::action_table().
// Without its own action_table(), B has this empty one: every action is UNSUPPORTED.
template <class B, class Base>
class TableBackend : public Base {
public:
    static std::span<const BackendAction<B>> action_table() { return {}; }
    Result<nlohmann::json> call(std::string_view action, const Params& params,
                                const Progress& progress) override {
        return call_action(static_cast<B&>(*this), B::action_table(), action, params, progress);
    }

protected:
    using Base::Base;
};

}  // namespace pah
