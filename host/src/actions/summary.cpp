// SPDX-License-Identifier: MIT
#include "actions/summary.hpp"

namespace pah::actions {

nlohmann::json summary_json(const std::string& account, const ItemSummary& item) {
    nlohmann::json out = {{"account", account},
                          {"id", item.id},
                          {"name", item.name},
                          {"username", item.username},
                          {"website", item.website.empty() ? item.url : item.website},
                          {"hasTotp", item.has_totp},
                          {"updatedAt", item.updated_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(item.updated_at)}};
    if (item.share) {
        out["share"] = {{"id", item.share->id}, {"permission", item.share->permission}};
    }
    return out;
}

}  // namespace pah::actions
