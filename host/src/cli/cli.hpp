// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

#include "config/config.hpp"

namespace pah::cli {

using Args = std::span<const std::string_view>;

// Runs the command named by args[0] (no args: the help). Returns the exit code.
int run(Args args, const Config& config);

// One file per command.
int call_command(Args args, const Config& config);
int totp_command(Args args, const Config& config);
int install_command(Args args, const Config& config);
int uninstall_command(Args args, const Config& config);
int doctor_command(Args args, const Config& config);

}  // namespace pah::cli
