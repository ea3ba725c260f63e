// SPDX-License-Identifier: MIT
#include "secure/wipe.hpp"

#include <sodium.h>

#include <vector>

namespace pah {

void wipe_string(std::string& text) noexcept {
    if (!text.empty()) {
        sodium_memzero(text.data(), text.size());
    }
    text.clear();
}

// NOLINTNEXTLINE(bugprone-exception-escape): it walks only objects and arrays, whose iterators do not throw
void wipe_json(nlohmann::json& value) noexcept {
    // An explicit stack, not recursion: a value from outside may nest deeper than the
    // thread's stack allows. Should the stack itself not grow (out of memory), the
    // values not yet visited are wiped in place as far as the loop got.
    std::vector<nlohmann::json*> todo;
    try {
        todo.reserve(64);
    } catch (...) {  // std::bad_alloc: the loop below copes with a stack that does not grow
    }
    nlohmann::json* next = &value;
    while (next != nullptr) {
        nlohmann::json& v = *next;
        if (v.is_string()) {
            wipe_string(*v.get_ptr<std::string*>());
        } else if (v.is_structured()) {
            for (auto& child : v) {
                if (child.is_structured()) {
                    try {
                        todo.push_back(&child);
                    } catch (...) {  // std::bad_alloc: this child is left to the clear() below
                    }
                } else if (child.is_string()) {
                    wipe_string(*child.get_ptr<std::string*>());
                }
            }
        }
        next = nullptr;
        if (!todo.empty()) {
            next = todo.back();
            todo.pop_back();
        }
    }
    // Keys can be secret too (rare); they are short and cleared with the objects (clear()
    // allocates nothing, unlike assigning a new object). nlohmann destroys nested values
    // with its own heap stack, not recursion.
    if (value.is_object()) {
        value.clear();
    } else if (value.is_array()) {
        for (auto& child : value) {
            if (child.is_object()) {
                child.clear();
            }
        }
    }
}

}  // namespace pah
