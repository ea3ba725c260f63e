// SPDX-License-Identifier: MIT
#pragma once

// The union of every backend's action table (names and flags), for the host to register.

#include <vector>

#include "backends/action_table.hpp"

namespace pah {

// Each name once, in table order; a name two backends share is sensitive or background
// if either says so. Built on the first call and kept (the rows' names are the tables'
// literals), so that a handler can keep a pointer to its row.
const std::vector<BackendActionInfo>& backend_actions();

}  // namespace pah
