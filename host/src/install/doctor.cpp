// SPDX-License-Identifier: MIT
#include "install/doctor.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "config/defaults.hpp"
#include "install/installer.hpp"
#include "install/manifest.hpp"
#include "io/files.hpp"
#include "text/ascii.hpp"
#include "text/json_reader.hpp"

namespace pah::install {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uintmax_t kMaxManifestBytes = std::uintmax_t{64} * 1024;

std::string install_fix(const Browser& browser, const DoctorOptions& options) {
    std::string fix = "run `passagent-host install --browser " + std::string(browser.name);
    if (options.scope == Scope::System) {
        fix += " --system";
    }
    return fix + "`";
}

std::string quoted(const fs::path& path) {
    return "\"" + path.string() + "\"";
}

// The browser reads exactly <host name>.json; a file that is nearly that is the usual
// hand-made mistake (".JSON", "ai.passagent.host.json.txt", "ai.passagent.host").
std::optional<fs::path> near_miss(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return std::nullopt;
    }
    const std::string host = text::to_lower(defaults::kHostName);
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& entry = *it;
        const std::string name = text::to_lower(entry.path().filename().string());
        if (name.starts_with(host) || name.find("passagent") != std::string::npos) {
            return entry.path();
        }
    }
    return std::nullopt;
}

bool starts_with_bytes(std::string_view head, std::string_view magic) {
    return head.substr(0, magic.size()) == magic;
}

// exec() runs native binaries and scripts with a "#!" line; anything else fails with
// ENOEXEC and the browser just says the host exited.
bool runnable_format(const fs::path& path) {
    // io::read_head (open/read), not std::ifstream: a stream would link the C++ locale
    // into the host, whose facets' vtables the loader relocates at every start
    // (docs/benchmarks.md). Unreadable: no bytes, not runnable.
    const std::string bytes = io::read_head(path, 4).value_or(std::string());
    constexpr std::string_view kElf = "\x7f" "ELF";
    constexpr std::array<std::string_view, 4> kMachO = {"\xcf\xfa\xed\xfe", "\xce\xfa\xed\xfe",
                                                        "\xca\xfe\xba\xbe", "\xfe\xed\xfa\xcf"};
    if (starts_with_bytes(bytes, kElf) || starts_with_bytes(bytes, "#!")) {
        return true;
    }
    return std::any_of(kMachO.begin(), kMachO.end(),
                       [&](std::string_view magic) { return starts_with_bytes(bytes, magic); });
}

void check_allow_list(const json& doc, Family family, const DoctorOptions& options,
                      const fs::path& path, std::vector<Finding>* out) {
    const bool chromium = family == Family::Chromium;
    const char* key = chromium ? "allowed_origins" : "allowed_extensions";
    const auto& wanted = chromium ? options.allowed_origins : options.allowed_extensions;
    const std::string reinstall = "run `passagent-host install` again (it writes the ids from the "
                                  "config's " +
                                  std::string(chromium ? "allowedOrigins" : "allowedExtensions") +
                                  ")";
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_array()) {
        out->push_back({Problem::ExtensionNotAllowed,
                        quoted(path) + " has no \"" + key + "\" list" +
                            (chromium && doc.contains("allowed_extensions")
                                 ? " (it is a Firefox manifest in a Chromium folder)"
                                 : (!chromium && doc.contains("allowed_origins")
                                        ? " (it is a Chromium manifest in a Firefox folder)"
                                        : "")),
                        reinstall});
        return;
    }
    std::vector<std::string> listed;
    for (const auto& value : *it) {
        if (value.is_string()) {
            listed.push_back(value.get<std::string>());
        }
    }
    for (const auto& id : wanted) {
        if (std::find(listed.begin(), listed.end(), id) != listed.end()) {
            continue;
        }
        std::string reason = quoted(path) + " does not allow " + id;
        if (chromium && !id.empty() && id.back() == '/' &&
            std::find(listed.begin(), listed.end(), id.substr(0, id.size() - 1)) != listed.end()) {
            reason += " (it lists it without the trailing slash, which Chromium rejects)";
        }
        std::string fix = "add \"" + id;
        fix += "\" to \"";
        fix += key;
        fix += "\", or ";
        fix += reinstall;
        out->push_back({Problem::ExtensionNotAllowed, reason, std::move(fix)});
    }
}

Diagnosis diagnose_native(const Browser& browser, const DoctorOptions& options) {
    Diagnosis diagnosis;
    diagnosis.browser = &browser;
    std::vector<fs::path> dirs;
    for (Scope scope : {Scope::User, Scope::System}) {
        if (!options.scope || *options.scope == scope) {
            auto more = manifest_dirs(browser, options.os, scope, options.env);
            dirs.insert(dirs.end(), more.begin(), more.end());
        }
    }
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (fs::exists(dir / manifest_file_name(), ec)) {
            diagnosis.manifest = dir / manifest_file_name();
            diagnosis.findings = check_manifest(diagnosis.manifest, browser.family, options);
            return diagnosis;
        }
    }
    for (const auto& dir : dirs) {
        if (auto other = near_miss(dir)) {
            diagnosis.findings.push_back(
                {Problem::WrongFileName,
                 std::string(browser.display) + " only reads " + manifest_file_name() + " but found " +
                     quoted(*other),
                 "rename it to " + quoted(dir / manifest_file_name()) + ", or " +
                     install_fix(browser, options)});
            return diagnosis;
        }
    }
    std::string where;
    for (const auto& dir : dirs) {
        where += where.empty() ? "" : " or ";
        where += dir.string();
    }
    if (where.empty()) {
        where = browser.name == "torbrowser" ? "(Tor Browser bundle not found; pass --tor-dir)"
                                             : "(no location for this scope)";
    }
    diagnosis.findings.push_back({Problem::ManifestMissing,
                                  "no " + manifest_file_name() + " in " + where,
                                  install_fix(browser, options)});
    return diagnosis;
}

Diagnosis diagnose_sandbox(const Browser& browser, const Sandbox& sandbox) {
    Diagnosis diagnosis;
    diagnosis.browser = &browser;
    diagnosis.sandbox = sandbox.kind;
    const std::string kind(sandbox_name(sandbox.kind));
    std::string fix;
    if (sandbox.kind == SandboxKind::Flatpak) {
        fix = "use " + std::string(browser.display) +
              " from your distribution's packages; or expose the host to the Flatpak yourself "
              "(a wrapper that runs `flatpak-spawn --host` plus `flatpak override --user "
              "--talk-name=org.freedesktop.Flatpak " + std::string(sandbox.app_id) +
              "`), see docs/install.md";
    } else {
        fix = "use " + std::string(browser.display) +
              " from a .deb/.rpm package instead of the Snap (or, for Firefox, a Snap with the "
              "WebExtensions portal), see docs/install.md";
    }
    diagnosis.findings.push_back(
        {Problem::Sandboxed,
         std::string(browser.display) + " is installed as a " + kind + " (" +
             std::string(sandbox.app_id) + "): it runs confined and cannot start passagent-host " +
             "outside its sandbox, even with a manifest in " + std::string(sandbox.manifest_dir),
         fix});
    return diagnosis;
}

}  // namespace

std::string_view problem_name(Problem problem) {
    switch (problem) {
        case Problem::ManifestMissing:
            return "manifest missing";
        case Problem::WrongFileName:
            return "wrong file name";
        case Problem::InvalidJson:
            return "invalid JSON";
        case Problem::WrongName:
            return "wrong name";
        case Problem::WrongType:
            return "wrong type";
        case Problem::RelativePath:
            return "relative path";
        case Problem::MissingPath:
            return "no path";
        case Problem::MissingBinary:
            return "binary missing";
        case Problem::NotExecutable:
            return "not executable";
        case Problem::NotRunnable:
            return "not runnable";
        case Problem::ExtensionNotAllowed:
            return "extension not allowed";
        case Problem::Sandboxed:
            return "sandboxed browser";
    }
    return "unknown";
}

std::vector<Finding> check_manifest(const fs::path& path, Family family,
                                    const DoctorOptions& options) {
    std::vector<Finding> out;
    const std::string reinstall = "run `passagent-host install` to rewrite it";
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    std::string text;
    if (!ec && size <= kMaxManifestBytes) {
        text = pah::io::read_file(path, kMaxManifestBytes).value_or(std::string());
    }
    json doc = pah::text::parse_json(text);
    if (doc.is_discarded() || !doc.is_object()) {
        out.push_back({Problem::InvalidJson,
                       quoted(path) + " is not a JSON object" +
                           (ec ? " (unreadable: " + ec.message() + ")" : ""),
                       reinstall});
        return out;
    }
    const std::string stem = path.stem().string();
    auto name = doc.find("name");
    if (name == doc.end() || !name->is_string() || name->get<std::string>() != stem) {
        out.push_back({Problem::WrongName,
                       "\"name\" in " + quoted(path) + " must equal the file name without .json (\"" +
                           stem + "\")",
                       "set \"name\": \"" + stem + "\", or " + reinstall});
    }
    auto type = doc.find("type");
    if (type == doc.end() || !type->is_string() || type->get<std::string>() != "stdio") {
        out.push_back({Problem::WrongType, "\"type\" in " + quoted(path) + " must be \"stdio\"",
                       "set \"type\": \"stdio\", or " + reinstall});
    }
    auto host = doc.find("path");
    if (host == doc.end() || !host->is_string() || host->get<std::string>().empty()) {
        out.push_back({Problem::MissingPath, quoted(path) + " has no \"path\" to the host", reinstall});
    } else {
        const fs::path binary = host->get<std::string>();
        // With --root (a staged package) the binary is looked for under it first.
        fs::path on_disk = binary;
        if (!options.env.root.empty() && binary.is_absolute() &&
            fs::exists(options.env.root / binary.relative_path(), ec)) {
            on_disk = options.env.root / binary.relative_path();
        }
        if (!binary.is_absolute()) {
            out.push_back({Problem::RelativePath,
                           "\"path\" in " + quoted(path) + " is relative (" + binary.string() +
                               "); Linux and macOS browsers need an absolute path",
                           "set the absolute path of passagent-host, or " + reinstall});
        } else if (!fs::exists(on_disk, ec)) {
            out.push_back({Problem::MissingBinary,
                           "the host " + quoted(binary) + " named in " + quoted(path) +
                               " does not exist",
                           "reinstall passagent-host, or run `passagent-host install` from the "
                           "binary you want browsers to use"});
        } else if (!fs::is_regular_file(on_disk, ec) || ::access(on_disk.c_str(), X_OK) != 0) {
            out.push_back({Problem::NotExecutable,
                           "the host " + quoted(binary) + " is not an executable file",
                           "chmod 755 " + quoted(binary)});
        } else if (!runnable_format(on_disk)) {
            out.push_back({Problem::NotRunnable,
                           "the host " + quoted(binary) +
                               " is neither a program nor a script with a #! line",
                           "point \"path\" at the passagent-host binary, or add a #! line"});
        }
    }
    check_allow_list(doc, family, options, path, &out);
    return out;
}

std::optional<std::vector<Diagnosis>> diagnose(const DoctorOptions& options, std::string* error) {
    const auto has_manifest = [&](const Browser& browser) {
        for (Scope scope : {Scope::User, Scope::System}) {
            if (options.scope && *options.scope != scope) {
                continue;
            }
            for (const auto& dir : manifest_dirs(browser, options.os, scope, options.env)) {
                std::error_code ec;
                if (fs::exists(dir / manifest_file_name(), ec)) {
                    return true;
                }
            }
        }
        return false;
    };
    std::vector<const Browser*> chosen;
    if (options.browsers.empty()) {
        for (const auto& browser : browsers()) {
            if (browser_present(browser, options.env) || has_manifest(browser) ||
                !sandboxes_present(browser, options.env).empty()) {
                chosen.push_back(&browser);
            }
        }
    } else {
        auto selected = select_browsers(options.browsers, options.env);
        if (!selected) {
            *error = selected.error().message;
            return std::nullopt;
        }
        chosen = std::move(*selected);
    }
    std::vector<Diagnosis> out;
    for (const Browser* browser : chosen) {
        const auto sandboxes = sandboxes_present(*browser, options.env);
        // A browser found only as a Flatpak/Snap gets the sandbox verdict alone.
        if (sandboxes.empty() || browser_present(*browser, options.env) || has_manifest(*browser) ||
            !options.browsers.empty()) {
            out.push_back(diagnose_native(*browser, options));
        }
        for (const Sandbox* sandbox : sandboxes) {
            out.push_back(diagnose_sandbox(*browser, *sandbox));
        }
    }
    return out;
}

}  // namespace pah::install
