// SPDX-License-Identifier: MIT
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/defaults.hpp"
#include "install/browsers.hpp"
#include "install/doctor.hpp"
#include "install/installer.hpp"
#include "install/manifest.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace pah::install;

namespace {

// A fresh folder with a fake HOME, a --root for system paths, a Tor bundle and a host.
class TempInstall {
public:
    TempInstall() {
        std::string templ = (fs::temp_directory_path() / "pah-install-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        dir_ = templ;
        fs::create_directories(home());
        fs::create_directories(root());
        fs::create_directories(tor() / "Browser");
        fs::create_directories(dir_ / "bin");
        write(host(), "#!/bin/sh\nexit 0\n");
        fs::permissions(host(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    }
    ~TempInstall() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    TempInstall(const TempInstall&) = delete;
    TempInstall& operator=(const TempInstall&) = delete;

    [[nodiscard]] fs::path dir() const { return dir_; }
    [[nodiscard]] fs::path home() const { return dir_ / "home"; }
    [[nodiscard]] fs::path root() const { return dir_ / "root"; }
    [[nodiscard]] fs::path tor() const { return dir_ / "tor-browser"; }
    [[nodiscard]] fs::path host() const { return dir_ / "bin" / "passagent-host"; }

    [[nodiscard]] Environment env() const {
        Environment env;
        env.home = home();
        env.config_home = home() / ".config";
        env.data_home = home() / ".local" / "share";
        env.state_home = home() / ".local" / "state";
        env.root = root();
        env.tor_dir = tor();
        return env;  // no $PATH: only folders say a browser is there
    }

    [[nodiscard]] InstallOptions options(std::vector<std::string> names, Scope scope) const {
        InstallOptions options;
        options.browsers = std::move(names);
        options.scope = scope;
        options.host_path = host();
        options.env = env();
        options.os = Os::Linux;
        for (auto origin : pah::defaults::kAllowedOrigins) {
            options.allowed_origins.emplace_back(origin);
        }
        for (auto id : pah::defaults::kAllowedExtensions) {
            options.allowed_extensions.emplace_back(id);
        }
        return options;
    }

    [[nodiscard]] DoctorOptions doctor(std::vector<std::string> names = {}) const {
        const auto install = options({}, Scope::User);
        DoctorOptions options;
        options.browsers = std::move(names);
        options.allowed_origins = install.allowed_origins;
        options.allowed_extensions = install.allowed_extensions;
        options.env = env();
        options.os = Os::Linux;
        return options;
    }

    static void write(const fs::path& path, std::string_view text) {
        fs::create_directories(path.parent_path());
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
    }

    // Every file and folder under the sandbox, with the files' contents.
    [[nodiscard]] std::map<std::string, std::string> snapshot() const {
        std::map<std::string, std::string> tree;
        for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
            const auto rel = fs::relative(entry.path(), dir_).string();
            if (entry.is_directory()) {
                tree[rel] = "<dir>";
            } else {
                std::ifstream in(entry.path(), std::ios::binary);
                tree[rel] = std::string(std::istreambuf_iterator<char>(in), {});
            }
        }
        return tree;
    }

private:
    fs::path dir_;
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Where each browser looks on Linux, written out by hand from the browsers' docs: the
// table in browsers.cpp must agree. "~" is HOME, "$TOR" the Tor bundle, "/" the root.
struct Expected {
    std::string_view browser;
    std::string_view user;
    std::string_view system;  // empty: none
};
constexpr Expected kExpected[] = {
    {"chrome", "~/.config/google-chrome/NativeMessagingHosts", "/etc/opt/chrome/native-messaging-hosts"},
    {"chromium", "~/.config/chromium/NativeMessagingHosts", "/etc/chromium/native-messaging-hosts"},
    {"brave", "~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
     "/etc/opt/brave/native-messaging-hosts"},
    {"edge", "~/.config/microsoft-edge/NativeMessagingHosts", "/etc/opt/edge/native-messaging-hosts"},
    {"vivaldi", "~/.config/vivaldi/NativeMessagingHosts", "/etc/opt/vivaldi/native-messaging-hosts"},
    {"opera", "~/.config/opera/NativeMessagingHosts", "/etc/opt/chrome/native-messaging-hosts"},
    {"firefox", "~/.mozilla/native-messaging-hosts", "/usr/lib/mozilla/native-messaging-hosts"},
    {"librewolf", "~/.librewolf/native-messaging-hosts", "/usr/lib/librewolf/native-messaging-hosts"},
    {"waterfox", "~/.waterfox/native-messaging-hosts", "/usr/lib/waterfox/native-messaging-hosts"},
    {"torbrowser", "$TOR/Browser/TorBrowser/Data/Browser/.mozilla/native-messaging-hosts", ""},
};

fs::path resolve(const TempInstall& box, std::string_view where) {
    if (where.starts_with("~/")) {
        return box.home() / where.substr(2);
    }
    if (where.starts_with("$TOR/")) {
        return box.tor() / where.substr(5);
    }
    return box.root() / where.substr(1);
}

void require_manifest(const fs::path& path, const Browser& browser, const TempInstall& box) {
    REQUIRE(fs::is_regular_file(path));
    const auto perms = fs::status(path).permissions();
    CHECK((perms & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write |
                                       fs::perms::group_read | fs::perms::others_read));
    const json doc = json::parse(read(path), nullptr, false);
    REQUIRE(doc.is_object());
    CHECK(doc["name"] == std::string(pah::defaults::kHostName));
    CHECK(doc["type"] == "stdio");
    CHECK(doc["path"] == box.host().string());
    if (browser.family == Family::Chromium) {
        CHECK(doc["allowed_origins"][0] == std::string(pah::defaults::kAllowedOrigins[0]));
        CHECK_FALSE(doc.contains("allowed_extensions"));
    } else {
        CHECK(doc["allowed_extensions"][0] == std::string(pah::defaults::kAllowedExtensions[0]));
        CHECK_FALSE(doc.contains("allowed_origins"));
    }
}

std::vector<Problem> problems_of(const TempInstall& box, const std::string& browser) {
    std::string error;
    auto results = diagnose(box.doctor({browser}), &error);
    REQUIRE(results);
    std::vector<Problem> out;
    for (const auto& diagnosis : *results) {
        for (const auto& finding : diagnosis.findings) {
            CHECK_FALSE(finding.reason.empty());
            CHECK_FALSE(finding.fix.empty());
            out.push_back(finding.problem);
        }
    }
    return out;
}

fs::path chromium_manifest(const TempInstall& box) {
    return box.home() / ".config/chromium/NativeMessagingHosts/ai.passagent.host.json";
}

}  // namespace

TEST_CASE("The browser table names every browser the installer promises, each once") {
    std::vector<std::string> names;
    for (const auto& browser : browsers()) {
        names.emplace_back(browser.name);
    }
    CHECK(names == std::vector<std::string>{"chrome", "chromium", "brave", "edge", "vivaldi", "opera",
                                            "firefox", "librewolf", "waterfox", "torbrowser"});
    CHECK(find_browser("netscape") == nullptr);
}

TEST_CASE("A user install writes each browser's manifest exactly where the table says, and "
          "doctor and uninstall agree") {
    for (const auto& expected : kExpected) {
        DYNAMIC_SECTION(expected.browser) {
            // Arrange
            TempInstall box;
            const Browser* browser = find_browser(expected.browser);
            REQUIRE(browser != nullptr);
            const auto before = box.snapshot();
            const fs::path path = resolve(box, expected.user) / "ai.passagent.host.json";

            // Act
            auto report = install(box.options({std::string(expected.browser)}, Scope::User));

            // Assert
            REQUIRE(report);
            REQUIRE(report->files.size() == 1);
            CHECK(report->files[0].path == path);
            require_manifest(path, *browser, box);
            CHECK(fs::is_regular_file(receipt_path(box.env(), Scope::User)));
            CHECK(problems_of(box, std::string(expected.browser)).empty());

            auto removed = uninstall(box.options({std::string(expected.browser)}, Scope::User));
            REQUIRE(removed);
            CHECK(removed->kept.empty());
            CHECK(box.snapshot() == before);
        }
    }
}

TEST_CASE("A system install writes under --root at the table's system folders") {
    for (const auto& expected : kExpected) {
        DYNAMIC_SECTION(expected.browser) {
            TempInstall box;
            const Browser* browser = find_browser(expected.browser);
            REQUIRE(browser != nullptr);
            const auto before = box.snapshot();

            auto report = install(box.options({std::string(expected.browser)}, Scope::System));

            REQUIRE(report);
            if (expected.system.empty()) {
                CHECK(report->files.empty());
                CHECK_FALSE(report->notes.empty());
                continue;
            }
            const fs::path path = resolve(box, expected.system) / "ai.passagent.host.json";
            REQUIRE(report->files.size() == 1);
            CHECK(report->files[0].path == path);
            require_manifest(path, *browser, box);
            CHECK(fs::is_regular_file(box.root() / "var/lib/passagent-host/install-receipt.json"));
            auto doctor_options = box.doctor({std::string(expected.browser)});
            doctor_options.scope = Scope::System;
            std::string error;
            auto verdict = diagnose(doctor_options, &error);
            REQUIRE(verdict);
            REQUIRE(verdict->size() == 1);
            CHECK((*verdict)[0].ok());

            REQUIRE(uninstall(box.options({std::string(expected.browser)}, Scope::System)));
            CHECK(box.snapshot() == before);
        }
    }
}

TEST_CASE("The table computes macOS folders and Windows registry keys on any OS") {
    TempInstall box;
    const Browser& chrome = *find_browser("chrome");
    const Browser& firefox = *find_browser("firefox");

    const auto mac_user = manifest_dirs(chrome, Os::MacOs, Scope::User, box.env());
    const auto mac_system = manifest_dirs(firefox, Os::MacOs, Scope::System, box.env());

    REQUIRE(mac_user.size() == 1);
    CHECK(mac_user[0] == box.home() / "Library/Application Support/Google/Chrome/NativeMessagingHosts");
    REQUIRE(mac_system.size() == 1);
    CHECK(mac_system[0] == box.root() / "Library/Application Support/Mozilla/NativeMessagingHosts");
    CHECK(registry_key(chrome, Scope::User) ==
          "HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\ai.passagent.host");
    CHECK(registry_key(firefox, Scope::System) ==
          "HKEY_LOCAL_MACHINE\\Software\\Mozilla\\NativeMessagingHosts\\ai.passagent.host");
    CHECK(manifest_dirs(chrome, Os::Windows, Scope::User, box.env()).empty());
}

TEST_CASE("Chromium-family user folders follow XDG_CONFIG_HOME and Firefox's do not") {
    TempInstall box;
    auto env = box.env();
    env.config_home = box.dir() / "xdg";

    CHECK(manifest_dirs(*find_browser("chromium"), Os::Linux, Scope::User, env)[0] ==
          box.dir() / "xdg/chromium/NativeMessagingHosts");
    CHECK(manifest_dirs(*find_browser("firefox"), Os::Linux, Scope::User, env)[0] ==
          box.home() / ".mozilla/native-messaging-hosts");
}

TEST_CASE("Firefox reads the system folder under /usr/lib and then /usr/lib64") {
    TempInstall box;
    const auto dirs = manifest_dirs(*find_browser("firefox"), Os::Linux, Scope::System, box.env());
    REQUIRE(dirs.size() == 2);
    CHECK(dirs[0] == box.root() / "usr/lib/mozilla/native-messaging-hosts");
    CHECK(dirs[1] == box.root() / "usr/lib64/mozilla/native-messaging-hosts");
}

TEST_CASE("Without --browser, install writes only for the browsers it finds") {
    TempInstall box;
    fs::create_directories(box.home() / ".config/chromium");
    fs::create_directories(box.home() / ".mozilla/firefox");
    auto options = box.options({}, Scope::User);
    options.env.tor_dir.clear();

    auto report = install(options);

    REQUIRE(report);
    REQUIRE(report->files.size() == 2);
    CHECK(report->files[0].browsers == std::vector<std::string>{"chromium"});
    CHECK(report->files[1].browsers == std::vector<std::string>{"firefox"});
    CHECK_FALSE(fs::exists(box.home() / ".config/google-chrome"));
}

TEST_CASE("A dry run writes nothing, not even the receipt, and still says what it would do") {
    for (Scope scope : {Scope::User, Scope::System}) {
        TempInstall box;
        const auto before = box.snapshot();
        auto options = box.options({"all"}, scope);
        options.dry_run = true;

        auto report = install(options);
        auto removal = uninstall(options);

        REQUIRE(report);
        CHECK(report->files.size() >= 8);
        REQUIRE(removal);
        CHECK(box.snapshot() == before);
    }
}

TEST_CASE("Browsers that share a system folder share one file until the last one leaves") {
    TempInstall box;
    REQUIRE(install(box.options({"chrome", "opera"}, Scope::System)));
    const fs::path shared = box.root() / "etc/opt/chrome/native-messaging-hosts/ai.passagent.host.json";
    REQUIRE(fs::exists(shared));

    auto first = uninstall(box.options({"opera"}, Scope::System));
    REQUIRE(first);
    CHECK(fs::exists(shared));

    auto second = uninstall(box.options({"chrome"}, Scope::System));
    REQUIRE(second);
    CHECK_FALSE(fs::exists(shared));
}

TEST_CASE("Uninstall keeps a manifest that changed since install, and one it never wrote") {
    TempInstall box;
    REQUIRE(install(box.options({"chromium"}, Scope::User)));
    TempInstall::write(chromium_manifest(box), "{\"edited\": true}");
    const fs::path foreign = box.home() / ".mozilla/native-messaging-hosts/ai.passagent.host.json";
    TempInstall::write(foreign, "{}");

    auto report = uninstall(box.options({}, Scope::User));

    REQUIRE(report);
    CHECK(report->kept == std::vector<fs::path>{chromium_manifest(box)});
    CHECK(read(chromium_manifest(box)) == "{\"edited\": true}");
    CHECK(read(foreign) == "{}");
    CHECK(fs::exists(receipt_path(box.env(), Scope::User)));  // still remembers the kept file
}

TEST_CASE("Uninstall --force removes a manifest that changed since install, and still not one it never wrote") {
    TempInstall box;
    REQUIRE(install(box.options({"chromium"}, Scope::User)));
    TempInstall::write(chromium_manifest(box), "{\"edited\": true}");
    const fs::path foreign = box.home() / ".mozilla/native-messaging-hosts/ai.passagent.host.json";
    TempInstall::write(foreign, "{}");
    auto options = box.options({}, Scope::User);
    options.force = true;

    auto report = uninstall(options);

    REQUIRE(report);
    CHECK(report->kept.empty());
    CHECK(std::ranges::count(report->removed, chromium_manifest(box)) == 1);
    CHECK(!fs::exists(chromium_manifest(box)));
    CHECK(read(foreign) == "{}");
    CHECK(!fs::exists(receipt_path(box.env(), Scope::User)));
}

TEST_CASE("Install refuses a relative host path and an unknown browser") {
    TempInstall box;
    auto relative = box.options({"chromium"}, Scope::User);
    relative.host_path = "bin/passagent-host";
    auto unknown = box.options({"netscape"}, Scope::User);

    auto first = install(relative);
    auto second = install(unknown);

    REQUIRE_FALSE(first);
    CHECK(first.error().code == pah::ErrorCode::BadRequest);
    REQUIRE_FALSE(second);
    CHECK(second.error().message.find("netscape") != std::string::npos);
}

TEST_CASE("Manifests escape the host path and never expand placeholders inside it") {
    const std::string odd = "/opt/we\"ird\\dir/@PAH_ALLOWED@/passagent-host";

    const json doc = json::parse(render_manifest(Family::Chromium, odd, {"chrome-extension://x/"}),
                                 nullptr, false);

    REQUIRE(doc.is_object());
    CHECK(doc["path"] == odd);
    CHECK(doc["allowed_origins"] == json::array({"chrome-extension://x/"}));
}

TEST_CASE("The .reg file names HKCU or HKLM keys once each, pointing at the manifests") {
    TempInstall box;
    auto options = box.options({"chrome", "opera", "firefox"}, Scope::User);
    options.windows_dir = "C:\\Apps\\PassAgent";
    auto selected = select_browsers(options.browsers, options.env);
    REQUIRE(selected);

    const std::string user = windows_reg_file(options, *selected, false);
    options.scope = Scope::System;
    const std::string removal = windows_reg_file(options, *selected, true);

    CHECK(user.starts_with("Windows Registry Editor Version 5.00"));
    CHECK(user.find("[HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\ai.passagent.host]") !=
          std::string::npos);
    CHECK(user.find("Chrome\\NativeMessagingHosts") == user.rfind("Chrome\\NativeMessagingHosts"));
    CHECK(user.find("@=\"C:\\\\Apps\\\\PassAgent\\\\ai.passagent.host.firefox.json\"") !=
          std::string::npos);
    CHECK(removal.find("[-HKEY_LOCAL_MACHINE\\Software\\Mozilla\\NativeMessagingHosts\\ai.passagent.host]") !=
          std::string::npos);
}

TEST_CASE("Doctor gives the right reason for each kind of broken install") {
    TempInstall box;
    const fs::path manifest = chromium_manifest(box);
    const std::string origin(pah::defaults::kAllowedOrigins[0]);
    const auto chromium_json = [&](const std::string& path, const std::string& allowed,
                                   const std::string& name = "ai.passagent.host",
                                   const std::string& type = "stdio") {
        return json{{"name", name}, {"path", path}, {"type", type},
                    {"allowed_origins", json::array({allowed})}}
            .dump();
    };

    SECTION("missing manifest") {
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::ManifestMissing});
    }
    SECTION("invalid JSON") {
        TempInstall::write(manifest, "{\"name\": ");
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::InvalidJson});
    }
    SECTION("wrong file name") {
        TempInstall::write(manifest.parent_path() / "ai.passagent.host.JSON",
                       chromium_json(box.host().string(), origin));
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::WrongFileName});
    }
    SECTION("name that is not the file name") {
        TempInstall::write(manifest, chromium_json(box.host().string(), origin, "ai.passagent"));
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::WrongName});
    }
    SECTION("type other than stdio") {
        TempInstall::write(manifest, chromium_json(box.host().string(), origin, "ai.passagent.host", "pipe"));
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::WrongType});
    }
    SECTION("relative path") {
        TempInstall::write(manifest, chromium_json("bin/passagent-host", origin));
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::RelativePath});
    }
    SECTION("missing binary") {
        TempInstall::write(manifest, chromium_json((box.dir() / "nowhere").string(), origin));
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::MissingBinary});
    }
    SECTION("binary not executable") {
        fs::permissions(box.host(), fs::perms::owner_read | fs::perms::owner_write,
                        fs::perm_options::replace);
        TempInstall::write(manifest, chromium_json(box.host().string(), origin));
        // root may run anything with any x bit; without one, exec fails even for root.
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::NotExecutable});
    }
    SECTION("script without a #! line") {
        TempInstall::write(box.host(), "echo hello\n");
        TempInstall::write(manifest, chromium_json(box.host().string(), origin));
        CHECK(problems_of(box, "chromium") == std::vector<Problem>{Problem::NotRunnable});
    }
    SECTION("extension id not allowed (no trailing slash)") {
        TempInstall::write(manifest, chromium_json(box.host().string(), origin.substr(0, origin.size() - 1)));
        const auto problems = problems_of(box, "chromium");
        CHECK(problems == std::vector<Problem>{Problem::ExtensionNotAllowed});
    }
    SECTION("Firefox manifest without the add-on id") {
        TempInstall::write(box.home() / ".mozilla/native-messaging-hosts/ai.passagent.host.json",
                       json{{"name", "ai.passagent.host"}, {"path", box.host().string()},
                            {"type", "stdio"}, {"allowed_extensions", json::array({"other@example"})}}
                           .dump());
        CHECK(problems_of(box, "firefox") == std::vector<Problem>{Problem::ExtensionNotAllowed});
    }
}

TEST_CASE("Doctor says a Flatpak or Snap browser cannot start the host, even with a manifest") {
    TempInstall box;
    fs::create_directories(box.home() / ".var/app/org.chromium.Chromium");
    fs::create_directories(box.home() / "snap/firefox");
    auto options = box.doctor();
    options.env.tor_dir.clear();
    REQUIRE(install(box.options({"chromium"}, Scope::User)));

    std::string error;
    auto results = diagnose(options, &error);

    REQUIRE(results);
    int sandboxed = 0;
    for (const auto& diagnosis : *results) {
        if (diagnosis.sandbox) {
            ++sandboxed;
            REQUIRE(diagnosis.findings.size() == 1);
            CHECK(diagnosis.findings[0].problem == Problem::Sandboxed);
        } else {
            CHECK(diagnosis.browser->name == "chromium");  // the native one has a manifest
            CHECK(diagnosis.ok());
        }
    }
    CHECK(sandboxed == 2);
}

TEST_CASE("The real binary installs, passes doctor and uninstalls in a temporary HOME") {
    TempInstall box;
    fs::create_directories(box.home() / ".config/chromium");
    const std::string bin = PAH_BINARY_DIR "/host/passagent-host";
    // A bare environment: HOME alone decides every path (and the config, which is absent).
    const std::string env = "env -i PATH=/usr/bin:/bin HOME='" + box.home().string() + "' ";
    const auto run = [&](const std::string& args) {
        const int status = std::system((env + "'" + bin + "' " + args + " >/dev/null 2>&1").c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    const auto before = box.snapshot();

    CHECK(run("install --dry-run") == 0);
    CHECK(box.snapshot() == before);
    CHECK(run("doctor --user --browser chromium") == 1);
    CHECK(run("install") == 0);
    CHECK(fs::exists(chromium_manifest(box)));
    CHECK(run("doctor --user --browser chromium") == 0);
    CHECK(run("uninstall") == 0);
    CHECK(box.snapshot() == before);
}
