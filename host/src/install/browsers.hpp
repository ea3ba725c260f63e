// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pah::install {

enum class Family { Chromium, Firefox };
enum class Os { Linux, MacOs, Windows };
enum class Scope { User, System };
enum class SandboxKind { Flatpak, Snap };

// A confined packaging of a browser (Linux): the folder that shows it is installed and
// where it would look for host manifests inside its sandbox.
struct Sandbox {
    SandboxKind kind = SandboxKind::Flatpak;
    std::string_view app_id;        // Flatpak app id or snap name; empty: no such entry
    std::string_view app_dir;       // e.g. "~/.var/app/org.chromium.Chromium"
    std::string_view manifest_dir;  // inside app_dir
};

// Where one browser looks on one OS. Templates: "~/" is $HOME, "$CONFIG/" is
// $XDG_CONFIG_HOME (else ~/.config), "$TOR" is the Tor Browser bundle; an absolute path
// is system-wide (and gets --root in front). Empty: no such location.
struct Locations {
    std::string_view user;
    std::array<std::string_view, 2> system;  // in the browser's lookup order
};

// One row of the table: everything the installer and doctor know about a browser.
struct Browser {
    std::string_view name;     // the --browser name
    std::string_view display;  // for people
    Family family = Family::Chromium;
    Locations linux_dirs;
    Locations mac_dirs;
    std::string_view windows_key;  // under HKCU and HKLM, without the host name
    std::array<Sandbox, 2> sandboxes;
    std::string_view detect_dir;                 // Linux template: exists when used
    std::array<std::string_view, 3> detect_bins;  // names on $PATH
};

// The table: chrome, chromium, brave, edge, vivaldi, opera, firefox, librewolf, waterfox,
// torbrowser. docs/install.md shows the same table for people.
std::span<const Browser> browsers();
const Browser* find_browser(std::string_view name);

// Everything the paths depend on, read once from the process (or set by tests).
struct Environment {
    std::filesystem::path home;
    std::filesystem::path config_home;  // $XDG_CONFIG_HOME, else ~/.config
    std::filesystem::path data_home;    // $XDG_DATA_HOME, else ~/.local/share
    std::filesystem::path state_home;   // $XDG_STATE_HOME, else ~/.local/state
    std::filesystem::path root;         // prefix for system paths ("" = the real /)
    std::filesystem::path tor_dir;      // the Tor Browser bundle ("" = not found)
    std::vector<std::filesystem::path> path_dirs;  // $PATH, for detection
};

Environment environment_from_process();
// Where Tor Browser usually is unpacked (torbrowser-launcher, ~/tor-browser, ...).
std::vector<std::filesystem::path> tor_candidates(const Environment& env);

// Expands a table template; nullopt when it names nothing here (empty template, or $TOR
// with no bundle found).
std::optional<std::filesystem::path> expand(std::string_view templ, const Environment& env);

// Folders the browser reads manifests from for the scope, in lookup order.
std::vector<std::filesystem::path> manifest_dirs(const Browser& browser, Os os, Scope scope,
                                                 const Environment& env);
// "HKEY_CURRENT_USER\Software\...\NativeMessagingHosts\ai.passagent.host"; empty if none.
std::string registry_key(const Browser& browser, Scope scope);

// The native (unconfined) browser is installed or has been used (Linux).
bool browser_present(const Browser& browser, const Environment& env);
// Its Flatpak / Snap packagings found on this machine.
std::vector<const Sandbox*> sandboxes_present(const Browser& browser, const Environment& env);

std::string_view family_name(Family family);
std::string_view sandbox_name(SandboxKind kind);
Os current_os();

}  // namespace pah::install
