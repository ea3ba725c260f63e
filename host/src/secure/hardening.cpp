// SPDX-License-Identifier: MIT
#include "secure/hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <csignal>

#include <sodium.h>

namespace pah {

bool harden_process(HardeningReport* report) {
    if (sodium_init() < 0) {
        return false;
    }
    HardeningReport local;
    local.non_dumpable = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
    rlimit no_core{0, 0};
    local.core_disabled = ::setrlimit(RLIMIT_CORE, &no_core) == 0;
    rlimit memlock{};
    if (::getrlimit(RLIMIT_MEMLOCK, &memlock) == 0) {
        local.memlock_limit = memlock.rlim_cur == RLIM_INFINITY
                                  ? std::string("unlimited")
                                  : std::to_string(memlock.rlim_cur) + " bytes";
    }
    // SIG_ERR only for an invalid signal number, which SIGPIPE is not.
    (void)std::signal(SIGPIPE, SIG_IGN);
    if (report != nullptr) {
        *report = local;
    }
    return true;
}

}  // namespace pah
