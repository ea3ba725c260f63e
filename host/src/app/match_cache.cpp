// SPDX-License-Identifier: MIT
#include "app/match_cache.hpp"

namespace pah {

std::shared_ptr<const match::MatchIndex> MatchIndexCache::get(const std::string& account,
                                                              std::shared_ptr<const ItemList> items) {
    if (!items) {
        forget(account);
        return nullptr;
    }
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(account);
        if (it != entries_.end() && it->second.items == items) {
            return it->second.index;
        }
    }
    // Built outside the lock: two racing builders cost time, not correctness.
    auto index = std::make_shared<const match::MatchIndex>(items);
    std::lock_guard lock(mu_);
    entries_[account] = Entry{std::move(items), index};
    return index;
}

void MatchIndexCache::forget(const std::string& account) {
    std::lock_guard lock(mu_);
    entries_.erase(account);
}

void MatchIndexCache::clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
}

}  // namespace pah
