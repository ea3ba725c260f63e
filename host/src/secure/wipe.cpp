// SPDX-License-Identifier: MIT
#include "secure/wipe.hpp"

#include <sodium.h>

namespace pah {

void wipe_string(std::string& text) noexcept {
    if (!text.empty()) {
        sodium_memzero(text.data(), text.size());
    }
    text.clear();
}

void wipe_json(nlohmann::json& value) noexcept {
    if (value.is_string()) {
        wipe_string(value.get_ref<std::string&>());
    } else if (value.is_structured()) {
        for (auto& child : value) {
            wipe_json(child);
        }
        if (value.is_object()) {
            // Keys can be secret too (rare); they are short and cleared with the object.
            value = nlohmann::json::object();
        }
    }
}

}  // namespace pah
