// SPDX-License-Identifier: MIT
#include <cstdio>

#include "cli/cli.hpp"

namespace pah::cli {

// Replaced by the installer (issue: manifests and installer).
int install_command(Args, const Config&) {
    std::fprintf(stderr, "passagent-host: install is not in this build yet\n");
    return 2;
}
int uninstall_command(Args, const Config&) {
    std::fprintf(stderr, "passagent-host: uninstall is not in this build yet\n");
    return 2;
}
int doctor_command(Args, const Config&) {
    std::fprintf(stderr, "passagent-host: doctor is not in this build yet\n");
    return 2;
}

}  // namespace pah::cli
