// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace pah {

struct HardeningReport {
    bool non_dumpable = false;
    bool core_disabled = false;
    std::string memlock_limit;  // e.g. "8388608 bytes" or "unlimited"
};

// Initialises libsodium and makes the process unfit to leak secrets: no core dumps,
// not ptrace-attachable by the same user, SIGPIPE ignored (EPIPE is handled as a value).
// Returns false only when libsodium cannot be initialised.
bool harden_process(HardeningReport* report = nullptr);

}  // namespace pah
