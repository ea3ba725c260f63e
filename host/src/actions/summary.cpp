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
        out["share"] = share_json(*item.share);
    }
    return out;
}

nlohmann::json share_json(const ShareRef& share) {
    nlohmann::json out = {{"id", share.id}, {"permission", share.permission}};
    if (!share.shared_by.empty()) {
        out["sharedBy"] = share.shared_by;
    }
    return out;
}

}  // namespace pah::actions
