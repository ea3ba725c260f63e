// SPDX-License-Identifier: MIT
#include "protocol/dispatcher.hpp"

namespace pah {

void Dispatcher::add(std::string name, ActionSpec spec) {
    table_.insert_or_assign(std::move(name), std::move(spec));
}

const ActionSpec* Dispatcher::find(std::string_view name) const {
    auto it = table_.find(name);
    return it == table_.end() ? nullptr : &it->second;
}

std::vector<std::string> Dispatcher::names() const {
    std::vector<std::string> out;
    out.reserve(table_.size());
    for (const auto& entry : table_) {
        out.push_back(entry.first);
    }
    return out;
}

}  // namespace pah
