// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include <cstdio>
#include <string>

#include "version.hpp"

namespace pah::cli {

namespace {

struct Command {
    std::string_view name;
    std::string_view usage;
    std::string_view summary;
    int (*run)(Args, const Config&);
};

constexpr Command kCommands[] = {
    {"call", "call <action> [params-json]",
     "run one request through the host and print the reply (exit 0 when ok)", call_command},
    {"totp", "totp <base32-secret | otpauth-uri>",
     "print the current TOTP code and the seconds left", totp_command},
    {"install", "install [--browser <name>...] [--system] [--dry-run]",
     "register the host with the browsers on this machine", install_command},
    {"uninstall", "uninstall [--browser <name>...] [--system] [--dry-run]",
     "remove exactly what install wrote", uninstall_command},
    {"doctor", "doctor [--browser <name>...]",
     "say for each browser whether the host will start, and how to fix it", doctor_command},
};

void print_help(std::FILE* out) {
    std::fprintf(out,
                 "passagent-host %.*s: the PassAgent native messaging host.\n\n"
                 "Browsers start it for the PassAgent extension and talk to it over stdin/stdout.\n"
                 "From a terminal:\n\n",
                 static_cast<int>(kVersion.size()), kVersion.data());
    for (const auto& command : kCommands) {
        std::fprintf(out, "  passagent-host %-55.*s\n      %.*s\n",
                     static_cast<int>(command.usage.size()), command.usage.data(),
                     static_cast<int>(command.summary.size()), command.summary.data());
    }
    std::fprintf(out,
                 "  passagent-host --version\n  passagent-host --help\n\n"
                 "Config: $PASSAGENT_HOST_CONFIG, else $XDG_CONFIG_HOME/passagent-host/config.json.\n"
                 "Log level: $PASSAGENT_HOST_LOG (error, warn, info, debug).\n");
}

}  // namespace

int run(Args args, const Config& config) {
    if (args.empty()) {
        print_help(stderr);
        return 2;
    }
    const std::string_view first = args[0];
    if (first == "--version" || first == "-V") {
        std::printf("passagent-host %.*s\n", static_cast<int>(kVersion.size()), kVersion.data());
        return 0;
    }
    if (first == "--help" || first == "-h" || first == "help") {
        print_help(stdout);
        return 0;
    }
    for (const auto& command : kCommands) {
        if (first == command.name) {
            return command.run(args.subspan(1), config);
        }
    }
    std::fprintf(stderr, "passagent-host: unknown command \"%.*s\"; see passagent-host --help\n",
                 static_cast<int>(first.size()), first.data());
    return 2;
}

}  // namespace pah::cli
