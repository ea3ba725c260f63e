// SPDX-License-Identifier: MIT
#include "install/browsers.hpp"

#include <cstdlib>
#include <system_error>

#include "config/defaults.hpp"

namespace pah::install {

namespace fs = std::filesystem;

namespace {

using SK = SandboxKind;

// Sources: the Chrome and MDN native-messaging docs; for the forks, each browser's user
// data dir + "NativeMessagingHosts" (the Chromium rule) or its Gecko vendor dir. Opera
// keeps its own user dir but reads Chrome's system dir and registry key.
constexpr Browser kBrowsers[] = {
    {"chrome", "Google Chrome", Family::Chromium,
     {"$CONFIG/google-chrome/NativeMessagingHosts", {"/etc/opt/chrome/native-messaging-hosts", ""}},
     {"~/Library/Application Support/Google/Chrome/NativeMessagingHosts",
      {"/Library/Google/Chrome/NativeMessagingHosts", ""}},
     "Software\\Google\\Chrome\\NativeMessagingHosts",
     {{{SK::Flatpak, "com.google.Chrome", "~/.var/app/com.google.Chrome",
        "~/.var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts"},
       {}}},
     "$CONFIG/google-chrome",
     {"google-chrome", "google-chrome-stable", ""}},
    {"chromium", "Chromium", Family::Chromium,
     {"$CONFIG/chromium/NativeMessagingHosts", {"/etc/chromium/native-messaging-hosts", ""}},
     {"~/Library/Application Support/Chromium/NativeMessagingHosts",
      {"/Library/Application Support/Chromium/NativeMessagingHosts", ""}},
     "Software\\Chromium\\NativeMessagingHosts",
     {{{SK::Flatpak, "org.chromium.Chromium", "~/.var/app/org.chromium.Chromium",
        "~/.var/app/org.chromium.Chromium/config/chromium/NativeMessagingHosts"},
       {SK::Snap, "chromium", "~/snap/chromium",
        "~/snap/chromium/common/chromium/NativeMessagingHosts"}}},
     "$CONFIG/chromium",
     {"chromium", "chromium-browser", ""}},
    {"brave", "Brave", Family::Chromium,
     {"$CONFIG/BraveSoftware/Brave-Browser/NativeMessagingHosts",
      {"/etc/opt/brave/native-messaging-hosts", ""}},
     {"~/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
      {"/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts", ""}},
     "Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts",
     {{{SK::Flatpak, "com.brave.Browser", "~/.var/app/com.brave.Browser",
        "~/.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/NativeMessagingHosts"},
       {SK::Snap, "brave", "~/snap/brave",
        "~/snap/brave/current/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts"}}},
     "$CONFIG/BraveSoftware/Brave-Browser",
     {"brave-browser", "brave", ""}},
    {"edge", "Microsoft Edge", Family::Chromium,
     {"$CONFIG/microsoft-edge/NativeMessagingHosts", {"/etc/opt/edge/native-messaging-hosts", ""}},
     {"~/Library/Application Support/Microsoft Edge/NativeMessagingHosts",
      {"/Library/Microsoft/Edge/NativeMessagingHosts", ""}},
     "Software\\Microsoft\\Edge\\NativeMessagingHosts",
     {{{SK::Flatpak, "com.microsoft.Edge", "~/.var/app/com.microsoft.Edge",
        "~/.var/app/com.microsoft.Edge/config/microsoft-edge/NativeMessagingHosts"},
       {}}},
     "$CONFIG/microsoft-edge",
     {"microsoft-edge", "microsoft-edge-stable", ""}},
    {"vivaldi", "Vivaldi", Family::Chromium,
     {"$CONFIG/vivaldi/NativeMessagingHosts", {"/etc/opt/vivaldi/native-messaging-hosts", ""}},
     {"~/Library/Application Support/Vivaldi/NativeMessagingHosts",
      {"/Library/Application Support/Vivaldi/NativeMessagingHosts", ""}},
     "Software\\Vivaldi\\NativeMessagingHosts",
     {{{SK::Flatpak, "com.vivaldi.Vivaldi", "~/.var/app/com.vivaldi.Vivaldi",
        "~/.var/app/com.vivaldi.Vivaldi/config/vivaldi/NativeMessagingHosts"},
       {}}},
     "$CONFIG/vivaldi",
     {"vivaldi", "vivaldi-stable", ""}},
    {"opera", "Opera", Family::Chromium,
     {"$CONFIG/opera/NativeMessagingHosts", {"/etc/opt/chrome/native-messaging-hosts", ""}},
     {"~/Library/Application Support/com.operasoftware.Opera/NativeMessagingHosts",
      {"/Library/Google/Chrome/NativeMessagingHosts", ""}},
     "Software\\Google\\Chrome\\NativeMessagingHosts",
     {{{SK::Flatpak, "com.opera.Opera", "~/.var/app/com.opera.Opera",
        "~/.var/app/com.opera.Opera/config/opera/NativeMessagingHosts"},
       {SK::Snap, "opera", "~/snap/opera", "~/snap/opera/current/.config/opera/NativeMessagingHosts"}}},
     "$CONFIG/opera",
     {"opera", "opera-stable", ""}},
    {"firefox", "Firefox", Family::Firefox,
     {"~/.mozilla/native-messaging-hosts",
      {"/usr/lib/mozilla/native-messaging-hosts", "/usr/lib64/mozilla/native-messaging-hosts"}},
     {"~/Library/Application Support/Mozilla/NativeMessagingHosts",
      {"/Library/Application Support/Mozilla/NativeMessagingHosts", ""}},
     "Software\\Mozilla\\NativeMessagingHosts",
     {{{SK::Flatpak, "org.mozilla.firefox", "~/.var/app/org.mozilla.firefox",
        "~/.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts"},
       {SK::Snap, "firefox", "~/snap/firefox", "~/snap/firefox/common/.mozilla/native-messaging-hosts"}}},
     "~/.mozilla/firefox",
     {"firefox", "firefox-esr", ""}},
    {"librewolf", "LibreWolf", Family::Firefox,
     {"~/.librewolf/native-messaging-hosts", {"/usr/lib/librewolf/native-messaging-hosts", ""}},
     {"~/Library/Application Support/LibreWolf/NativeMessagingHosts",
      {"/Library/Application Support/LibreWolf/NativeMessagingHosts", ""}},
     "Software\\LibreWolf\\NativeMessagingHosts",
     {{{SK::Flatpak, "io.gitlab.librewolf-community", "~/.var/app/io.gitlab.librewolf-community",
        "~/.var/app/io.gitlab.librewolf-community/.librewolf/native-messaging-hosts"},
       {}}},
     "~/.librewolf",
     {"librewolf", "", ""}},
    {"waterfox", "Waterfox", Family::Firefox,
     {"~/.waterfox/native-messaging-hosts", {"/usr/lib/waterfox/native-messaging-hosts", ""}},
     {"~/Library/Application Support/Waterfox/NativeMessagingHosts",
      {"/Library/Application Support/Waterfox/NativeMessagingHosts", ""}},
     "Software\\WaterfoxLimited\\NativeMessagingHosts",
     {{{SK::Flatpak, "net.waterfox.waterfox", "~/.var/app/net.waterfox.waterfox",
        "~/.var/app/net.waterfox.waterfox/.waterfox/native-messaging-hosts"},
       {}}},
     "~/.waterfox",
     {"waterfox", "", ""}},
    // Tor Browser keeps its profile inside the unpacked bundle (its HOME is Browser/);
    // it has no system-wide location. On Windows it reads the Mozilla key.
    {"torbrowser", "Tor Browser", Family::Firefox,
     {"$TOR/Browser/TorBrowser/Data/Browser/.mozilla/native-messaging-hosts", {"", ""}},
     {"~/Library/Application Support/TorBrowser-Data/Browser/Mozilla/NativeMessagingHosts", {"", ""}},
     "Software\\Mozilla\\NativeMessagingHosts",
     {{{SK::Flatpak, "org.torproject.torbrowser-launcher",
        "~/.var/app/org.torproject.torbrowser-launcher",
        "~/.var/app/org.torproject.torbrowser-launcher/data/torbrowser/tbb/x86_64/tor-browser/"
        "Browser/TorBrowser/Data/Browser/.mozilla/native-messaging-hosts"},
       {}}},
     "$TOR",
     {"", "", ""}},
};

std::optional<std::string> env_var(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

bool is_dir(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

const Locations& locations_for(const Browser& browser, Os os) {
    static constexpr Locations kNone{};
    switch (os) {
        case Os::Linux:
            return browser.linux_dirs;
        case Os::MacOs:
            return browser.mac_dirs;
        case Os::Windows:
            return kNone;
    }
    return kNone;
}

}  // namespace

std::span<const Browser> browsers() {
    return kBrowsers;
}

const Browser* find_browser(std::string_view name) {
    for (const auto& browser : kBrowsers) {
        if (browser.name == name) {
            return &browser;
        }
    }
    return nullptr;
}

Environment environment_from_process() {
    Environment env;
    env.home = env_var("HOME").value_or("/");
    env.config_home = env_var("XDG_CONFIG_HOME").value_or((env.home / ".config").string());
    env.data_home = env_var("XDG_DATA_HOME").value_or((env.home / ".local" / "share").string());
    env.state_home = env_var("XDG_STATE_HOME").value_or((env.home / ".local" / "state").string());
    if (auto path = env_var("PATH")) {
        std::string_view rest = *path;
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const auto part = rest.substr(0, colon);
            if (!part.empty()) {
                env.path_dirs.emplace_back(std::string(part));
            }
            rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
        }
    }
    for (const auto& candidate : tor_candidates(env)) {
        if (is_dir(candidate / "Browser")) {
            env.tor_dir = candidate;
            break;
        }
    }
    return env;
}

std::vector<fs::path> tor_candidates(const Environment& env) {
    const fs::path launcher = env.data_home / "torbrowser" / "tbb" / "x86_64";
    return {launcher / "tor-browser", launcher / "tor-browser_en-US", env.home / "tor-browser",
            env.home / "tor-browser_en-US", env.home / ".local" / "opt" / "tor-browser",
            env.home / "Desktop" / "tor-browser", env.home / "Downloads" / "tor-browser"};
}

std::optional<fs::path> expand(std::string_view templ, const Environment& env) {
    if (templ.empty()) {
        return std::nullopt;
    }
    if (templ.starts_with("~/")) {
        return env.home / templ.substr(2);
    }
    if (templ.starts_with("$CONFIG/")) {
        return env.config_home / templ.substr(8);
    }
    if (templ.starts_with("$TOR")) {
        if (env.tor_dir.empty()) {
            return std::nullopt;
        }
        const auto rest = templ.substr(4);
        return rest.empty() ? env.tor_dir : env.tor_dir / rest.substr(1);
    }
    if (templ.starts_with("/")) {
        if (env.root.empty()) {
            return fs::path(templ);
        }
        return env.root / templ.substr(1);
    }
    return std::nullopt;
}

std::vector<fs::path> manifest_dirs(const Browser& browser, Os os, Scope scope,
                                    const Environment& env) {
    std::vector<fs::path> dirs;
    const Locations& where = locations_for(browser, os);
    if (scope == Scope::User) {
        if (auto dir = expand(where.user, env)) {
            dirs.push_back(*dir);
        }
        return dirs;
    }
    for (auto templ : where.system) {
        if (auto dir = expand(templ, env)) {
            dirs.push_back(*dir);
        }
    }
    return dirs;
}

std::string registry_key(const Browser& browser, Scope scope) {
    if (browser.windows_key.empty()) {
        return {};
    }
    std::string key = scope == Scope::User ? "HKEY_CURRENT_USER\\" : "HKEY_LOCAL_MACHINE\\";
    key += browser.windows_key;
    key += '\\';
    key += defaults::kHostName;
    return key;
}

bool browser_present(const Browser& browser, const Environment& env) {
    if (auto dir = expand(browser.detect_dir, env); dir && is_dir(*dir)) {
        return true;
    }
    for (auto bin : browser.detect_bins) {
        if (bin.empty()) {
            continue;
        }
        for (const auto& dir : env.path_dirs) {
            std::error_code ec;
            if (fs::is_regular_file(dir / bin, ec)) {
                return true;
            }
        }
    }
    return false;
}

std::vector<const Sandbox*> sandboxes_present(const Browser& browser, const Environment& env) {
    std::vector<const Sandbox*> found;
    for (const auto& sandbox : browser.sandboxes) {
        if (sandbox.app_id.empty()) {
            continue;
        }
        if (auto dir = expand(sandbox.app_dir, env); dir && is_dir(*dir)) {
            found.push_back(&sandbox);
        }
    }
    return found;
}

std::string_view family_name(Family family) {
    return family == Family::Chromium ? "Chromium" : "Firefox";
}

std::string_view sandbox_name(SandboxKind kind) {
    return kind == SandboxKind::Flatpak ? "Flatpak" : "Snap";
}

Os current_os() {
#if defined(_WIN32)
    return Os::Windows;
#elif defined(__APPLE__)
    return Os::MacOs;
#else
    return Os::Linux;
#endif
}

}  // namespace pah::install
