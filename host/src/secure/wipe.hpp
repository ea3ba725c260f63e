// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pah {

// WARNING: the one way to drop a std::string or a json value that held a secret (a
// body, a header, params, a reply): its bytes are zeroed (sodium_memzero, which the
// compiler may not elide), then it is emptied. It cannot reach copies made before.
void wipe_string(std::string& text) noexcept;
// Every string in the value, at any depth (iteratively: no recursion on outside
// data); objects and arrays are emptied too.
void wipe_json(nlohmann::json& value) noexcept;

}  // namespace pah
