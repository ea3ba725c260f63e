// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include "protocol/dispatcher.hpp"
#include "protocol/envelope.hpp"

namespace pah {

// Runs one request through its handler and returns the final reply envelope. No
// exception leaves: a throwing handler becomes an INTERNAL error reply.
nlohmann::json execute_request(const ActionSpec& spec, Request& request,
                               RequestContext::ProgressFn progress);

}  // namespace pah
