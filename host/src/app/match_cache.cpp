// SPDX-License-Identifier: MIT
#include "app/match_cache.hpp"

#include <utility>

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
    Entry old;  // freed after the lock is released: an old vault's list is large
    std::lock_guard lock(mu_);
    Entry& slot = entries_[account];
    old = std::exchange(slot, Entry{std::move(items), index});
    return index;
}

void MatchIndexCache::forget(const std::string& account) {
    Entry old;
    std::lock_guard lock(mu_);
    if (const auto it = entries_.find(account); it != entries_.end()) {
        old = std::move(it->second);
        entries_.erase(it);
    }
}

void MatchIndexCache::clear() {
    std::map<std::string, Entry, std::less<>> old;
    std::lock_guard lock(mu_);
    old.swap(entries_);
}

}  // namespace pah
