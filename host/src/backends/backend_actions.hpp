// SPDX-License-Identifier: MIT
#pragma once

// The union of every backend's action table (names and flags), for the host to register.

#include <vector>

#include "backends/action_table.hpp"

namespace pah {

// Each name once, in table order; a name two backends share is sensitive or background
// if either says so.
std::vector<BackendActionInfo> backend_actions();

}  // namespace pah
