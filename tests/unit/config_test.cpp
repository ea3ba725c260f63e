// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "config/caller.hpp"
#include "config/config.hpp"

using namespace pah;

TEST_CASE("a valid config file sets every known key", "[config]") {
    const Config config = parse_config(R"({
        "allowedOrigins": ["chrome-extension://abc/"], "allowedExtensions": ["x@y"],
        "autoLockMinutes": 5, "server": "https://passagent.example", "anonKey": "k",
        "authUrl": "https://auth.example", "logLevel": "debug", "maxFrameBytes": 65536})");
    REQUIRE_FALSE(config.error);
    REQUIRE(config.allowed_origins == std::vector<std::string>{"chrome-extension://abc/"});
    REQUIRE(config.allowed_extensions == std::vector<std::string>{"x@y"});
    REQUIRE(config.auto_lock_minutes == 5);
    REQUIRE(config.server == "https://passagent.example");
    REQUIRE(config.auth_url == "https://auth.example");
    REQUIRE(config.anon_key == "k");
    REQUIRE(config.max_frame_bytes == 65536);
    REQUIRE(parse_config(R"({"autoLockMinutes": 0.25})").auto_lock_minutes == 0.25);
    REQUIRE(parse_config("{}").sync_minutes == 5);
    REQUIRE(parse_config(R"({"syncMinutes": 0.5})").sync_minutes == 0.5);
    REQUIRE(parse_config(R"({"syncMinutes": 0})").sync_minutes == 0);
}

TEST_CASE("a broken config gives the defaults and says what is wrong", "[config]") {
    struct Case {
        const char* text;
        const char* says;
    };
    for (const auto& c :
         {Case{"{not json", "not valid JSON"}, Case{"[1]", "JSON object"},
          Case{R"({"allowedOrigins": "x"})", "allowedOrigins"},
          Case{R"({"autoLockMinutes": -1})", "autoLockMinutes"},
          Case{R"({"autoLockMinutes": "5"})", "autoLockMinutes"},
          Case{R"({"autoLockMinutes": 2000})", "autoLockMinutes"},
          Case{R"({"syncMinutes": -1})", "syncMinutes"}, Case{R"({"syncMinutes": "5"})", "syncMinutes"},
          Case{R"({"server": 5})", "server"}, Case{R"({"maxFrameBytes": 10})", "maxFrameBytes"}}) {
        const Config config = parse_config(c.text);
        REQUIRE(config.error);
        CHECK(config.error->find(c.says) != std::string::npos);
        CHECK(config.auto_lock_minutes == 15);
        CHECK_FALSE(config.allowed_extensions.empty());
    }
}

TEST_CASE("a config file that does not exist gives the defaults without an error", "[config]") {
    const Config config = load_config_from("/nonexistent/passagent-host/config.json");
    // PASSAGENT_HOST_CONFIG may be set by the environment running the tests.
    if (std::getenv("PASSAGENT_HOST_CONFIG") == nullptr) {
        REQUIRE_FALSE(config.error);
    }
    REQUIRE(config.auto_lock_minutes == 15);
}

TEST_CASE("a broken config file names the file in its error", "[config]") {
    const auto dir = std::filesystem::temp_directory_path() / "pah-config-test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "config.json";
    std::ofstream(path) << "{ broken";
    const Config config = load_config_from(path);
    REQUIRE(config.error);
    REQUIRE(config.error->find(path.string()) != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a config file or folder other users can write is ignored and reported", "[config]") {
    // Arrange: a private folder with a config that widens the allow-list.
    std::string templ = (std::filesystem::temp_directory_path() / "pah-config-perms-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    const std::filesystem::path dir = templ;
    const auto path = dir / "config.json";
    std::ofstream(path) << R"({"allowedOrigins": ["chrome-extension://attacker/"]})";
    const auto load_with_modes = [&](mode_t file_mode, mode_t dir_mode) {
        REQUIRE(::chmod(path.c_str(), file_mode) == 0);
        REQUIRE(::chmod(dir.c_str(), dir_mode) == 0);
        return load_config_from(path);
    };

    SECTION("private file and folder: the allow-list is read") {
        const Config config = load_with_modes(0600, 0700);
        CHECK_FALSE(config.error);
        CHECK(config.allowed_origins == std::vector<std::string>{"chrome-extension://attacker/"});
    }
    SECTION("readable by others is fine, writable is not") {
        CHECK_FALSE(load_with_modes(0644, 0755).error);
        for (const mode_t mode : {mode_t{0620}, mode_t{0602}, mode_t{0666}}) {
            const Config config = load_with_modes(mode, 0700);
            REQUIRE(config.error);
            CHECK(config.error->find("writable by other users") != std::string::npos);
            CHECK(config.error->find(path.string()) != std::string::npos);
            CHECK(std::find(config.allowed_origins.begin(), config.allowed_origins.end(),
                            "chrome-extension://attacker/") == config.allowed_origins.end());
            CHECK_FALSE(config.allowed_extensions.empty());  // the defaults
        }
    }
    SECTION("a folder others can write is refused unless it is sticky") {
        const Config open = load_with_modes(0600, 0777);
        REQUIRE(open.error);
        CHECK(open.error->find("config folder") != std::string::npos);
        CHECK(std::find(open.allowed_origins.begin(), open.allowed_origins.end(),
                        "chrome-extension://attacker/") == open.allowed_origins.end());
        CHECK(load_with_modes(0600, 0770).error);
        CHECK_FALSE(load_with_modes(0600, 01777).error);
    }
    REQUIRE(::chmod(dir.c_str(), 0700) == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the caller is read from the browser's argv", "[caller]") {
    using Args = std::vector<std::string_view>;
    SECTION("Chromium passes its origin, maybe with a parent window flag") {
        const Args args = {"chrome-extension://abcdef/", "--parent-window=0"};
        const Caller caller = caller_from_args(args);
        REQUIRE(caller.kind == Caller::Kind::Chromium);
        REQUIRE(caller.id == "chrome-extension://abcdef/");
    }
    SECTION("Firefox passes the manifest path and the add-on id") {
        const Args args = {"/usr/lib/mozilla/native-messaging-hosts/ai.passagent.host.json",
                           "passagent-host@passagent.ai"};
        const Caller caller = caller_from_args(args);
        REQUIRE(caller.kind == Caller::Kind::Firefox);
        REQUIRE(caller.id == "passagent-host@passagent.ai");
    }
    SECTION("a terminal passes a command or nothing") {
        REQUIRE(caller_from_args(Args{}).kind == Caller::Kind::Terminal);
        REQUIRE(caller_from_args(Args{"call", "hello"}).kind == Caller::Kind::Terminal);
        REQUIRE(caller_from_args(Args{"config.json", "--help"}).kind == Caller::Kind::Terminal);
    }
}

TEST_CASE("only callers on the allow-list are served", "[caller]") {
    Config config = parse_config(R"({"allowedOrigins": ["chrome-extension://good/"],
                                     "allowedExtensions": ["good@ext"]})");
    REQUIRE(is_allowed(Caller{Caller::Kind::Chromium, "chrome-extension://good/"}, config));
    REQUIRE_FALSE(is_allowed(Caller{Caller::Kind::Chromium, "chrome-extension://evil/"}, config));
    REQUIRE(is_allowed(Caller{Caller::Kind::Firefox, "good@ext"}, config));
    REQUIRE_FALSE(is_allowed(Caller{Caller::Kind::Firefox, "evil@ext"}, config));
    REQUIRE(is_allowed(Caller{Caller::Kind::Terminal, ""}, config));
}
