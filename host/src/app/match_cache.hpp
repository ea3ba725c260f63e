// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "backends/backend.hpp"
#include "match/url_match.hpp"

namespace pah {

// One match index per account, rebuilt only when the backend hands out a new item list
// (after unlock or sync), so credentials.match costs a lookup, not 10,000 URL parses.
class MatchIndexCache {
public:
    // The index for this snapshot of `account`'s items (null items → null index).
    std::shared_ptr<const match::MatchIndex> get(const std::string& account,
                                                 std::shared_ptr<const ItemList> items);
    void forget(const std::string& account);
    void clear();

private:
    struct Entry {
        std::shared_ptr<const ItemList> items;
        std::shared_ptr<const match::MatchIndex> index;
    };
    std::mutex mu_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace pah
