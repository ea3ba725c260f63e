// SPDX-License-Identifier: MIT
#pragma once

// credentials.list's query: a case-insensitive substring search over each entry's name,
// username, website and url. The searchable text of a whole item list is lowered once
// into one buffer (entries separated by a byte no query holds), so that a query is one
// memory scan, not one lowering per entry: fast at 100,000 entries. Pure: no locking.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/item.hpp"

namespace pah::match {

class ItemSearch {
public:
    // Holds `items` weakly: the index never keeps a locked vault's entries alive.
    explicit ItemSearch(const std::shared_ptr<const ItemList>& items);
    ~ItemSearch();
    ItemSearch(const ItemSearch&) = delete;
    ItemSearch& operator=(const ItemSearch&) = delete;

    // Positions in the item list of the entries whose text holds `query` (ASCII letters
    // compared without case; other bytes as they are), in list order. An empty query
    // matches every entry. At most `max` positions (the first ones): a page needs no more.
    [[nodiscard]] std::vector<std::uint32_t> find(std::string_view query,
                                                  std::size_t max = static_cast<std::size_t>(-1)) const;

    // Whether this index was built from `items` (and that list is still alive).
    [[nodiscard]] bool built_from(const std::shared_ptr<const ItemList>& items) const noexcept {
        return items && items_.lock() == items;
    }

private:
    std::weak_ptr<const ItemList> items_;
    std::size_t count_ = 0;
    std::string text_;                   // lowered fields, '\n'-separated, one '\0' after each entry
    std::vector<std::uint32_t> starts_;  // where each entry's text begins in text_
};

// ASCII lower case of `text`.
std::string ascii_lower(std::string_view text);

}  // namespace pah::match
