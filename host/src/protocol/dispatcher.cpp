// SPDX-License-Identifier: MIT
#include "protocol/dispatcher.hpp"

#include <algorithm>

namespace pah {

void Dispatcher::add(std::string name, ActionSpec spec) {
    auto it = std::ranges::lower_bound(table_, std::string_view(name), std::less<>{}, &Entry::name);
    if (it != table_.end() && it->name == name) {
        it->spec = std::move(spec);
        return;
    }
    table_.insert(it, Entry{std::move(name), std::move(spec)});
}

const ActionSpec* Dispatcher::find(std::string_view name) const {
    auto it = std::ranges::lower_bound(table_, name, std::less<>{}, &Entry::name);
    return it != table_.end() && it->name == name ? &it->spec : nullptr;
}

std::vector<std::string> Dispatcher::names() const {
    std::vector<std::string> out;
    out.reserve(table_.size());
    for (const Entry& entry : table_) {
        out.push_back(entry.name);
    }
    return out;
}

}  // namespace pah
