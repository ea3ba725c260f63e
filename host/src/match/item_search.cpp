// SPDX-License-Identifier: MIT
#include "match/item_search.hpp"

#include <algorithm>

namespace pah::match {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Separators never found in a query: a query with them matches nothing (see find()).
void append_field(std::string& out, std::string_view field) {
    for (const char c : field) {
        out.push_back(c == '\n' || c == '\0' ? ' ' : lower(c));
    }
    out.push_back('\n');
}

}  // namespace

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), lower);
    return out;
}

ItemSearch::ItemSearch(const std::shared_ptr<const ItemList>& items) : items_(items) {
    if (!items) {
        return;
    }
    count_ = items->size();
    std::size_t size = 0;
    for (const auto& item : *items) {
        size += item.name.size() + item.username.size() + item.website.size() + item.url.size() + 5;
    }
    text_.reserve(size);
    starts_.reserve(items->size() + 1);
    for (const auto& item : *items) {
        starts_.push_back(static_cast<std::uint32_t>(text_.size()));
        append_field(text_, item.name);
        append_field(text_, item.username);
        append_field(text_, item.website);
        append_field(text_, item.url);
        text_.push_back('\0');
    }
    starts_.push_back(static_cast<std::uint32_t>(text_.size()));
}

// The lowered names, usernames and addresses are wiped with the index.
ItemSearch::~ItemSearch() { std::fill(text_.begin(), text_.end(), '\0'); }

std::vector<std::uint32_t> ItemSearch::find(std::string_view query, std::size_t max) const {
    std::vector<std::uint32_t> out;
    if (query.empty()) {
        out.resize(std::min(count_, max));
        for (std::uint32_t i = 0; i < out.size(); ++i) {
            out[i] = i;
        }
        return out;
    }
    if (query.find_first_of(std::string_view("\n\0", 2)) != std::string_view::npos) {
        return out;
    }
    const std::string needle = ascii_lower(query);
    const std::string_view text(text_);
    std::size_t at = 0;
    while (out.size() < max && (at = text.find(needle, at)) != std::string_view::npos) {
        // The entry holding this hit: the last start at or before it.
        const auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::uint32_t>(at));
        const auto entry = static_cast<std::uint32_t>(it - starts_.begin() - 1);
        out.push_back(entry);
        at = starts_[entry + 1];  // one hit per entry: go on with the next one
    }
    return out;
}

}  // namespace pah::match
