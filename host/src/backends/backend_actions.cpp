// SPDX-License-Identifier: MIT
#include "backends/backend_actions.hpp"

#include <algorithm>

#include "backends/passagent/backend.hpp"
#include "backends/passman/backend.hpp"
#include "backends/passwork/backend.hpp"

namespace pah {

namespace {

template <class B>
void add_table(std::vector<BackendActionInfo>& out, std::span<const BackendAction<B>> table) {
    for (const auto& row : table) {
        const auto same = std::ranges::find(out, row.info.name, &BackendActionInfo::name);
        if (same == out.end()) {
            out.push_back(row.info);
        } else {
            same->sensitive_reply = same->sensitive_reply || row.info.sensitive_reply;
            same->background = same->background || row.info.background;
        }
    }
}

}  // namespace

const std::vector<BackendActionInfo>& backend_actions() {
    static const std::vector<BackendActionInfo> all = [] {
        std::vector<BackendActionInfo> out;
        add_table(out, passagent::PassAgentBackend::action_table());
        add_table(out, passman::PassmanBackend::action_table());
        add_table(out, passwork::PassworkBackend::action_table());
        return out;
    }();
    return all;
}

}  // namespace pah
