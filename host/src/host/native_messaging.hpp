// SPDX-License-Identifier: MIT
#pragma once

#include "config/caller.hpp"
#include "config/config.hpp"

namespace pah {

// Serves the browser over stdin/stdout until EOF or a signal; wipes every secret, then
// ends the process with exit code 0.
[[noreturn]] void run_native_messaging(const Caller& caller, Config config);

}  // namespace pah
