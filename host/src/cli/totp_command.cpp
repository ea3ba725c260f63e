// SPDX-License-Identifier: MIT
#include <cstdio>

#include "cli/cli.hpp"

namespace pah::cli {

// Replaced by the TOTP core (issue: crypto and TOTP).
int totp_command(Args, const Config&) {
    std::fprintf(stderr, "passagent-host: totp is not in this build yet\n");
    return 2;
}

}  // namespace pah::cli
