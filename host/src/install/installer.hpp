// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "install/browsers.hpp"
#include "protocol/error.hpp"

namespace pah::install {

struct InstallOptions {
    std::vector<std::string> browsers;  // --browser names; empty: those found; "all": every one
    Scope scope = Scope::User;
    bool dry_run = false;         // plan and print; write nothing, not even the receipt
    bool force = false;           // uninstall: also remove a manifest changed since install
    bool write_receipt = true;    // off for packaging (dpkg owns the files)
    std::filesystem::path host_path;  // absolute path of the binary to register
    std::vector<std::string> allowed_origins;     // Chromium family
    std::vector<std::string> allowed_extensions;  // Firefox family
    Environment env;
    Os os = current_os();
    std::string windows_dir = "C:\\Program Files\\PassAgent";  // for the .reg file
};

// One manifest file: where, for which browsers, what it holds.
struct ManifestFile {
    std::filesystem::path path;
    std::vector<std::string> browsers;
    std::string content;
};

struct InstallReport {
    std::vector<ManifestFile> files;  // written (or, with dry_run, to be written)
    std::vector<std::filesystem::path> created_dirs;
    std::vector<std::string> notes;   // skipped browsers, sandboxes, replaced files
    std::filesystem::path receipt;    // empty when none was written
};

struct UninstallReport {
    std::vector<std::filesystem::path> removed;  // (or, with dry_run, to be removed)
    std::vector<std::filesystem::path> kept;     // changed since install: left in place
    std::vector<std::string> notes;
};

// The browsers the options select: named ones, every one ("all"), or those found.
Result<std::vector<const Browser*>> select_browsers(const std::vector<std::string>& names,
                                                    const Environment& env);

// The manifests install would write, without touching the disk.
Result<std::vector<ManifestFile>> plan_install(const InstallOptions& options,
                                               std::vector<std::string>* notes);
Result<InstallReport> install(const InstallOptions& options);
// Removes what the receipt says install wrote, for the selected browsers (none: all);
// a file that changed since is reported and kept (removed with `force`). Windows registry entries: see .reg.
Result<UninstallReport> uninstall(const InstallOptions& options);

// $XDG_STATE_HOME/passagent-host/install-receipt.json (user), or
// <root>/var/lib/passagent-host/install-receipt.json (system).
std::filesystem::path receipt_path(const Environment& env, Scope scope);

// The Windows side as a .reg file: one key per selected browser (HKCU or HKLM by scope)
// whose default value is the manifest's path in options.windows_dir. `remove` makes the
// file that deletes those keys.
std::string windows_reg_file(const InstallOptions& options,
                             const std::vector<const Browser*>& selected, bool remove);

}  // namespace pah::install
