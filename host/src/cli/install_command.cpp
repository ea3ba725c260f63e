// SPDX-License-Identifier: MIT
// `install`, `uninstall`, `doctor`: flags in, install/ does the work, reports out.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "cli/cli.hpp"
#include "install/browsers.hpp"
#include "install/doctor.hpp"
#include "install/installer.hpp"
#include "store/secret_store.hpp"

namespace pah::cli {

namespace {

namespace fs = std::filesystem;
using install::Scope;

struct Flags {
    std::vector<std::string> browsers;
    bool system = false;
    bool user_only = false;
    bool dry_run = false;
    bool force = false;
    bool print_reg = false;
    bool no_receipt = false;
    std::string host_path;
    std::string root;
    std::string tor_dir;
    std::string win_dir;
};

enum class Cmd { Install, Uninstall, Doctor };

void print_line(std::FILE* out, std::string_view text) {
    (void)std::fprintf(out, "%.*s\n", static_cast<int>(text.size()), text.data());
}

// Parses the flags a command accepts; prints the problem and returns false otherwise.
bool parse_flags(Args args, Cmd cmd, Flags* flags) {
    const char* command = cmd == Cmd::Install ? "install" : cmd == Cmd::Uninstall ? "uninstall" : "doctor";
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        const auto value = [&](std::string* out) {
            if (i + 1 >= args.size()) {
                (void)std::fprintf(stderr, "passagent-host %s: %.*s needs a value\n", command,
                                   static_cast<int>(arg.size()), arg.data());
                return false;
            }
            *out = std::string(args[++i]);
            return true;
        };
        std::string browser;
        if (arg == "--browser" || arg == "-b") {
            if (!value(&browser)) {
                return false;
            }
            // Accept "--browser chrome,firefox" too.
            std::string_view rest = browser;
            while (!rest.empty()) {
                const auto comma = rest.find(',');
                if (comma != 0) {
                    flags->browsers.emplace_back(rest.substr(0, comma));
                }
                rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            }
        } else if (arg == "--system") {
            flags->system = true;
        } else if (arg == "--root") {
            if (!value(&flags->root)) {
                return false;
            }
        } else if (arg == "--tor-dir") {
            if (!value(&flags->tor_dir)) {
                return false;
            }
        } else if (cmd == Cmd::Doctor && arg == "--user") {
            flags->user_only = true;
        } else if (cmd != Cmd::Doctor && arg == "--dry-run") {
            flags->dry_run = true;
        } else if (cmd == Cmd::Uninstall && arg == "--force") {
            flags->force = true;
        } else if (cmd != Cmd::Doctor && arg == "--print-reg") {
            flags->print_reg = true;
        } else if (cmd != Cmd::Doctor && arg == "--win-dir") {
            if (!value(&flags->win_dir)) {
                return false;
            }
        } else if (cmd == Cmd::Install && arg == "--host-path") {
            if (!value(&flags->host_path)) {
                return false;
            }
        } else if (cmd == Cmd::Install && arg == "--no-receipt") {
            flags->no_receipt = true;
        } else {
            (void)std::fprintf(stderr, "passagent-host %s: unknown option \"%.*s\"; see docs/install.md\n",
                               command, static_cast<int>(arg.size()), arg.data());
            return false;
        }
    }
    if (flags->system && flags->user_only) {
        (void)std::fprintf(stderr, "passagent-host %s: --system and --user exclude each other\n", command);
        return false;
    }
    return true;
}

install::Environment environment(const Flags& flags) {
    install::Environment env = install::environment_from_process();
    std::error_code ec;
    if (!flags.root.empty()) {
        env.root = fs::absolute(flags.root, ec);
    }
    if (!flags.tor_dir.empty()) {
        env.tor_dir = fs::absolute(flags.tor_dir, ec);
    }
    return env;
}

std::optional<fs::path> own_path() {
    std::error_code ec;
    auto path = fs::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return std::nullopt;
    }
    return path;
}

std::optional<install::InstallOptions> options_from(const Flags& flags, const Config& config) {
    install::InstallOptions options;
    options.browsers = flags.browsers;
    options.scope = flags.system ? Scope::System : Scope::User;
    options.dry_run = flags.dry_run;
    options.force = flags.force;
    options.write_receipt = !flags.no_receipt;
    options.allowed_origins = config.allowed_origins;
    options.allowed_extensions = config.allowed_extensions;
    options.env = environment(flags);
    if (!flags.win_dir.empty()) {
        options.windows_dir = flags.win_dir;
    }
    if (!flags.host_path.empty()) {
        options.host_path = flags.host_path;
    } else if (auto self = own_path()) {
        options.host_path = *self;
    } else {
        (void)std::fputs(
            "passagent-host install: cannot find my own path; pass --host-path <absolute path>\n", stderr);
        return std::nullopt;
    }
    return options;
}

// The .reg for the named browsers; with none named, for every browser (--print-reg) or
// for the ones found here (the preview after a dry run).
int print_reg(const install::InstallOptions& options, bool remove, bool found_only = false) {
    auto selected = install::select_browsers(
        options.browsers.empty() && !found_only ? std::vector<std::string>{"all"} : options.browsers,
        options.env);
    if (!selected) {
        print_line(stderr, "passagent-host: " + selected.error().message);
        return 2;
    }
    const std::string reg = install::windows_reg_file(options, *selected, remove);
    (void)std::fwrite(reg.data(), 1, reg.size(), stdout);
    return 0;
}

}  // namespace

int install_command(Args args, const Config& config) {
    Flags flags;
    if (!parse_flags(args, Cmd::Install, &flags)) {
        return 2;
    }
    auto options = options_from(flags, config);
    if (!options) {
        return 2;
    }
    if (flags.print_reg) {
        return print_reg(*options, false);
    }
    if (config.error) {
        print_line(stderr, "warning: " + *config.error + "; the manifests get the default extension ids");
    }
    auto report = install::install(*options);
    if (!report) {
        print_line(stderr, "passagent-host install: " + report.error().message);
        return report.error().code == ErrorCode::BadRequest ? 2 : 1;
    }
    for (const auto& note : report->notes) {
        print_line(stderr, note);
    }
    if (report->files.empty()) {
        print_line(stderr,
                   "passagent-host install: no browser found to install for; name one with "
                   "--browser <name> (or --browser all)");
        return 1;
    }
    for (const auto& file : report->files) {
        std::string browsers;
        for (const auto& name : file.browsers) {
            browsers += browsers.empty() ? name : ", " + name;
        }
        print_line(stdout, (flags.dry_run ? "would write " : "wrote ") + file.path.string() + " (" +
                               browsers + ")");
        if (flags.dry_run) {
            print_line(stdout, file.content);
        }
    }
    if (flags.dry_run) {
        print_line(stdout, "dry run: nothing was written. On Windows the same install is this .reg:");
        auto windows = *options;
        windows.os = install::Os::Windows;
        return print_reg(windows, false, true);
    }
    if (!report->receipt.empty()) {
        print_line(stdout, "receipt: " + report->receipt.string() +
                               " (`passagent-host uninstall` removes exactly these files)");
    }
    return 0;
}

int uninstall_command(Args args, const Config& config) {
    Flags flags;
    if (!parse_flags(args, Cmd::Uninstall, &flags)) {
        return 2;
    }
    flags.host_path = "/";  // unused by uninstall
    auto options = options_from(flags, config);
    if (!options) {
        return 2;
    }
    if (flags.print_reg) {
        return print_reg(*options, true);
    }
    auto report = install::uninstall(*options);
    if (!report) {
        print_line(stderr, "passagent-host uninstall: " + report.error().message);
        return report.error().code == ErrorCode::BadRequest ? 2 : 1;
    }
    for (const auto& path : report->removed) {
        print_line(stdout, (flags.dry_run ? "would remove " : "removed ") + path.string());
    }
    for (const auto& note : report->notes) {
        print_line(stderr, note);
    }
    if (report->removed.empty() && report->kept.empty()) {
        print_line(stdout, "nothing to remove: the receipt " +
                               install::receipt_path(options->env, options->scope).string() +
                               " lists no file for these browsers");
    }
    return report->kept.empty() ? 0 : 1;
}

int doctor_command(Args args, const Config& config) {
    Flags flags;
    if (!parse_flags(args, Cmd::Doctor, &flags)) {
        return 2;
    }
    install::DoctorOptions options;
    options.browsers = flags.browsers;
    if (flags.system) {
        options.scope = Scope::System;
    } else if (flags.user_only) {
        options.scope = Scope::User;
    }
    options.allowed_origins = config.allowed_origins;
    options.allowed_extensions = config.allowed_extensions;
    options.env = environment(flags);

    bool all_ok = true;
    if (config.error) {
        const fs::path source = config.source.empty() ? default_config_path() : config.source;
        print_line(stdout, "config: " + source.string() + ": " + *config.error +
                               " (the host runs with the defaults until it is fixed)");
        all_ok = false;
    } else if (config.source.empty()) {
        print_line(stdout, "config: none found, using the defaults (" +
                               default_config_path().string() + ")");
    } else {
        print_line(stdout, "config: " + config.source.string() + ": ok");
    }
    // Optional: without a Secret Service only remembered sign-in is unavailable.
    if (auto secrets = store::make_libsecret_store()->probe(); secrets) {
        print_line(stdout, "secret service: reachable (remembered sign-in works)");
    } else {
        print_line(stdout, "secret service: not reachable: " + secrets.error().message);
    }

    std::string error;
    auto results = install::diagnose(options, &error);
    if (!results) {
        print_line(stderr, "passagent-host doctor: " + error);
        return 2;
    }
    if (results->empty()) {
        print_line(stdout, "no browser found (and no host manifest); check one with --browser <name>");
        return 1;
    }
    for (const auto& diagnosis : *results) {
        std::string label(diagnosis.browser->name);
        if (diagnosis.sandbox) {
            label += " (" + std::string(install::sandbox_name(*diagnosis.sandbox)) + ")";
        }
        if (diagnosis.ok()) {
            print_line(stdout, label + ": OK, the host will start (" + diagnosis.manifest.string() + ")");
            continue;
        }
        all_ok = false;
        print_line(stdout, label + ": WILL NOT START" +
                               (diagnosis.manifest.empty() ? "" : " (" + diagnosis.manifest.string() + ")"));
        for (const auto& finding : diagnosis.findings) {
            print_line(stdout, "  " + std::string(install::problem_name(finding.problem)) + ": " +
                                   finding.reason);
            print_line(stdout, "    fix: " + finding.fix);
        }
    }
    return all_ok ? 0 : 1;
}

}  // namespace pah::cli
