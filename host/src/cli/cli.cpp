// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "version.hpp"

namespace pah::cli {

namespace {

struct Command {
    std::string_view name;
    std::string_view usage;
    std::string_view summary;
    std::string_view details;  // the flags and what they do, for `<command> --help`
    int (*run)(Args, const Config&);
};

constexpr std::string_view kBrowserFlags =
    "  --browser, -b <name>  only this browser (repeat, or a comma list; \"all\" for every one)\n"
    "  --system              the system-wide locations (needs root) instead of your user's\n"
    "  --root <dir>          act on <dir> as if it were / (packaging, tests)\n";

constexpr Command kCommands[] = {
    {"call", "call <action> [params-json]",
     "run one request through the host and print the reply (exit 0 when ok)",
     "  <action>       a protocol action, e.g. hello, status, credentials.match\n"
     "  [params-json]  its params as one JSON object, e.g. '{\"url\": \"https://example.com\"}'\n"
     "Progress events go to stderr, the reply to stdout. Exit 0 when the reply is ok, 1 when\n"
     "it is an error, 2 for a usage error. See docs/protocol.md for every action.\n",
     call_command},
    {"totp", "totp <base32-secret | otpauth-uri | ->",
     "print the current TOTP code and the seconds left",
     "  <base32-secret>  an RFC 4648 base32 secret (spaces and case ignored)\n"
     "  <otpauth-uri>    an otpauth://totp/... URI (algorithm, digits, period honoured)\n"
     "  -                read the secret from the first line of stdin (keeps it out of ps)\n"
     "The code alone goes to stdout; the seconds left go to stderr.\n",
     totp_command},
    {"install", "install [--browser <name>...] [--system] [--dry-run]",
     "register the host with the browsers on this machine",
     "  --dry-run             print what would be written, write nothing\n"
     "  --host-path <path>    the host binary the manifests name (default: this one)\n"
     "  --no-receipt          do not record what was written (uninstall then cannot check it)\n"
     "  --print-reg           print the Windows registry entries instead of writing them\n"
     "  --win-dir <dir>       where the Windows manifests go\n"
     "  --tor-dir <dir>       Tor Browser's folder\n",
     install_command},
    {"uninstall", "uninstall [--browser <name>...] [--system] [--dry-run] [--force]",
     "remove exactly what install wrote",
     "  --dry-run             print what would be removed, remove nothing\n"
     "  --force               also remove a manifest changed since install (its path is printed)\n"
     "  --print-reg           print the Windows registry entries to delete\n"
     "  --win-dir <dir>       where the Windows manifests are\n"
     "  --tor-dir <dir>       Tor Browser's folder\n",
     uninstall_command},
    {"doctor", "doctor [--browser <name>...] [--user]",
     "say for each browser whether the host will start, and how to fix it",
     "  --user                check only your user's locations, not the system-wide ones\n"
     "  --tor-dir <dir>       Tor Browser's folder\n"
     "Exit 0 when every browser checked can start the host.\n",
     doctor_command},
};

bool is_help(std::string_view arg) { return arg == "--help" || arg == "-h"; }

void print_command_help(const Command& command) {
    (void)std::printf("usage: passagent-host %.*s\n\n%c%.*s.\n\n%.*s", static_cast<int>(command.usage.size()),
                      command.usage.data(), std::toupper(static_cast<unsigned char>(command.summary[0])),
                      static_cast<int>(command.summary.size() - 1), command.summary.data() + 1,
                      static_cast<int>(command.details.size()), command.details.data());
    if (command.name == "install" || command.name == "uninstall" || command.name == "doctor") {
        (void)std::printf("%.*s", static_cast<int>(kBrowserFlags.size()), kBrowserFlags.data());
    }
}

void print_help(std::FILE* out) {
    (void)std::fprintf(out,
                       "passagent-host %.*s: the PassAgent native messaging host.\n\n"
                       "Browsers start it for the PassAgent extension and talk to it over stdin/stdout.\n"
                       "From a terminal:\n\n",
                       static_cast<int>(kVersion.size()), kVersion.data());
    for (const auto& command : kCommands) {
        (void)std::fprintf(out, "  passagent-host %-55.*s\n      %.*s\n",
                           static_cast<int>(command.usage.size()), command.usage.data(),
                           static_cast<int>(command.summary.size()), command.summary.data());
    }
    (void)std::fprintf(out,
                       "  passagent-host --version\n  passagent-host --help\n\n"
                       "Config: $PASSAGENT_HOST_CONFIG, else $XDG_CONFIG_HOME/passagent-host/config.json.\n"
                       "Log level: $PASSAGENT_HOST_LOG (error, warn, info, debug).\n");
}

int run_command(Args args, const Config& config) {
    if (args.empty()) {
        print_help(stderr);
        return 2;
    }
    const std::string_view first = args[0];
    if (first == "--version" || first == "-V") {
        (void)std::printf("passagent-host %.*s\n", static_cast<int>(kVersion.size()), kVersion.data());
        return 0;
    }
    if (is_help(first) || first == "help") {
        if (first == "help" && args.size() == 2) {
            for (const auto& command : kCommands) {
                if (args[1] == command.name) {
                    print_command_help(command);
                    return 0;
                }
            }
        }
        print_help(stdout);
        return 0;
    }
    for (const auto& command : kCommands) {
        if (first == command.name) {
            // --help anywhere after the command: its usage, and nothing run (a half-typed
            // `uninstall --browser x --help` asks for help, not for an unknown option).
            if (std::ranges::any_of(args.subspan(1), [](std::string_view arg) { return is_help(arg); })) {
                print_command_help(command);
                return 0;
            }
            return command.run(args.subspan(1), config);
        }
    }
    (void)std::fprintf(stderr, "passagent-host: unknown command \"%.*s\"; see passagent-host --help\n",
                       static_cast<int>(first.size()), first.data());
    return 2;
}

}  // namespace

// The commands do not check each write: stdout is checked once here, so that output lost
// to a full disk or a closed pipe ends in a failure, not in exit 0. A failed write to
// stderr has nowhere to be told.
int run(Args args, const Config& config) {
    const int code = run_command(args, config);
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
        (void)std::fprintf(stderr, "passagent-host: the output could not be written\n");
        return code == 0 ? 1 : code;
    }
    return code;
}

}  // namespace pah::cli
