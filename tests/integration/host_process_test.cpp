// SPDX-License-Identifier: MIT
// The real passagent-host binary, spoken to over pipes as a browser does.
#include <csignal>
#include <cstring>

#include <catch2/catch.hpp>

#include "support/process.hpp"

using nlohmann::json;
using pah::testing::Process;
using pah::testing::TempDir;

namespace {

constexpr const char* kOrigin = "chrome-extension://integrationtestoriginaaaaaaaaaaa/";

struct Host {
    TempDir dir;
    std::string config_path;
    std::unique_ptr<Process> process;

    explicit Host(const std::string& config = "", std::vector<std::string> args = {kOrigin},
                  std::map<std::string, std::string> env = {}) {
        const std::string text = config.empty()
                                     ? std::string(R"({"allowedOrigins": [")") + kOrigin + R"("]})"
                                     : config;
        config_path = dir.write("config.json", text);
        env["PASSAGENT_HOST_CONFIG"] = config_path;
        env["XDG_STATE_HOME"] = dir.path() + "/state";
        env["HOME"] = dir.path();
        std::vector<std::string> argv = {PAH_HOST_BIN};
        argv.insert(argv.end(), args.begin(), args.end());
        process = std::make_unique<Process>(argv, env);
    }

    json call(const json& request) {
        REQUIRE(process->send_frame(request));
        auto reply = process->read_frame();
        REQUIRE(reply);
        return *reply;
    }
};

std::string raw_frame(const std::string& payload) {
    std::string out(4, '\0');
    const auto length = static_cast<std::uint32_t>(payload.size());
    std::memcpy(out.data(), &length, 4);
    return out + payload;
}

}  // namespace

TEST_CASE("the host answers hello with its protocol, version and backends", "[process]") {
    Host host;
    const json reply = host.call({{"id", 1}, {"action", "hello"}});
    REQUIRE(reply["ok"] == true);
    REQUIRE(reply["result"]["protocol"] == 1);
    REQUIRE(reply["result"]["version"].is_string());
    REQUIRE(reply["result"]["backends"].is_array());
    REQUIRE(reply["result"]["accounts"] == json::array());
    REQUIRE_FALSE(reply["result"].contains("configError"));
    host.process->close_stdin();
    REQUIRE(host.process->wait() == 0);
}

TEST_CASE("end of input makes the host exit 0", "[process]") {
    Host host;
    host.process->close_stdin();
    REQUIRE(host.process->wait() == 0);
}

TEST_CASE("input that ends inside a message makes the host exit 0", "[process]") {
    Host host;
    REQUIRE(host.process->write(std::string("\x10\x00\x00\x00{\"id\"", 9)));
    host.process->close_stdin();
    REQUIRE(host.process->wait() == 0);
}

TEST_CASE("SIGTERM, SIGINT and SIGHUP wipe and exit cleanly", "[process]") {
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
        Host host;
        REQUIRE(host.call({{"id", 1}, {"action", "status"}})["ok"] == true);
        host.process->signal(sig);
        REQUIRE(host.process->wait() == 0);
    }
}

TEST_CASE("a shutdown signal after a request that may bring a secret is the guard's: it wipes, then exits",
          "[process]") {
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
        Host host("", {kOrigin}, {{"PASSAGENT_HOST_LOG", "info"}});
        REQUIRE(host.call({{"id", 1}, {"action", "passwords.generate"}, {"params", json::object()}})["ok"] ==
                true);
        host.process->signal(sig);
        REQUIRE(host.process->wait() == 0);
        CHECK_THAT(host.process->stderr_text(),
                   Catch::Contains("signal " + std::to_string(sig) + ": wiping secrets and exiting"));
    }
    // A host that answered only hello and status holds nothing secret, and has no guard
    // thread to start: it exits at once.
    Host host("", {kOrigin}, {{"PASSAGENT_HOST_LOG", "info"}});
    REQUIRE(host.call({{"id", 1}, {"action", "hello"}})["ok"] == true);
    host.process->signal(SIGTERM);
    REQUIRE(host.process->wait() == 0);
    CHECK_THAT(host.process->stderr_text(), !Catch::Contains("wiping secrets"));
}

TEST_CASE("garbage, a bad frame and an unknown action leave the host serving", "[process]") {
    Host host;
    REQUIRE(host.process->write(raw_frame("this is not json")));
    auto bad = host.process->read_frame();
    REQUIRE(bad);
    REQUIRE((*bad)["id"].is_null());
    REQUIRE((*bad)["error"]["code"] == "BAD_FRAME");
    REQUIRE(host.call({{"id", "u"}, {"action", "nope"}})["error"]["code"] == "UNKNOWN_ACTION");
    REQUIRE(host.call({{"id", 2}, {"action", "session.login"}, {"params", {{"backend", 5}}}})["error"]["field"] ==
            "backend");
    // A member named twice (which json objects cannot hold, so written by hand).
    REQUIRE(host.process->write(raw_frame(
        R"({"id":4,"action":"vault.unlock","params":{"masterPassword":"a","masterPassword":"b"}})")));
    auto repeated = host.process->read_frame();
    REQUIRE(repeated);
    REQUIRE((*repeated)["error"]["code"] == "BAD_FRAME");
    REQUIRE(host.call({{"id", 3}, {"action", "status"}})["ok"] == true);
}

TEST_CASE("a stray text prefix is refused without reading it as a giant allocation", "[process]") {
    Host host;
    REQUIRE(host.process->write("/home/user/.config\n"));
    auto reply = host.process->read_frame();
    REQUIRE(reply);
    REQUIRE((*reply)["error"]["code"] == "BAD_FRAME");
    host.process->close_stdin();
    REQUIRE(host.process->wait() == 0);
}

TEST_CASE("a caller not on the allow-list gets ORIGIN_NOT_ALLOWED for each request", "[process]") {
    Host host("", {"chrome-extension://someoneelseentirelyaaaaaaaaaaaa/"});
    for (int i = 0; i < 2; ++i) {
        const json reply = host.call({{"id", i}, {"action", "hello"}});
        REQUIRE(reply["id"] == i);
        REQUIRE(reply["error"]["code"] == "ORIGIN_NOT_ALLOWED");
    }
}

TEST_CASE("Firefox's argv (manifest path, add-on id) is checked against allowedExtensions",
          "[process]") {
    Host allowed(R"({"allowedExtensions": ["tester@passagent.test"]})",
                 {"/tmp/ai.passagent.host.json", "tester@passagent.test"});
    REQUIRE(allowed.call({{"id", 1}, {"action", "status"}})["ok"] == true);
    Host refused(R"({"allowedExtensions": ["tester@passagent.test"]})",
                 {"/tmp/ai.passagent.host.json", "other@example.org"});
    REQUIRE(refused.call({{"id", 1}, {"action", "status"}})["error"]["code"] == "ORIGIN_NOT_ALLOWED");
}

TEST_CASE("a broken config is reported in hello and the host still serves", "[process]") {
    // A broken file allows only the defaults: the test origin is refused ...
    Host host("{ this is broken");
    const json reply = host.call({{"id", 1}, {"action", "hello"}});
    REQUIRE(reply["id"] == 1);
    REQUIRE(reply["error"]["code"] == "ORIGIN_NOT_ALLOWED");

    // ... and the project's own add-on is served and told what is wrong.
    Host firefox("{ this is broken", {"/tmp/ai.passagent.host.json", "passagent-host@passagent.ai"});
    const json hello = firefox.call({{"id", 1}, {"action", "hello"}});
    REQUIRE(hello["ok"] == true);
    REQUIRE(hello["result"]["configError"].get<std::string>().find("not valid JSON") !=
            std::string::npos);
}

TEST_CASE("a password in a request never reaches the log, even at debug level", "[process]") {
    const std::string secret = "Tr0ub4dor&3-integration-secret";
    Host host("", {kOrigin}, {{"PASSAGENT_HOST_LOG", "debug"}});
    host.call({{"id", 1},
               {"action", "session.login"},
               {"params",
                {{"backend", "passagent"},
                 {"server", "http://127.0.0.1:9"},
                 {"email", "a@b.c"},
                 {"password", secret}}}});
    host.call({{"id", 2}, {"action", "vault.unlock"}, {"params", {{"masterPassword", secret}}}});
    host.call({{"id", 3}, {"action", "no.such.action"}, {"params", {{"password", secret}}}});
    REQUIRE(host.process->write(raw_frame("{\"password\": \"" + secret + "\" broken")));
    host.process->read_frame();
    host.process->close_stdin();
    REQUIRE(host.process->wait() == 0);
    const std::string log = host.process->stderr_text();
    REQUIRE(log.find(secret) == std::string::npos);
    REQUIRE(log.find("Tr0ub4dor") == std::string::npos);
}

TEST_CASE("stdout carries frames only, even when the host logs", "[process]") {
    Host host("", {kOrigin}, {{"PASSAGENT_HOST_LOG", "debug"}});
    host.process->send_frame({{"id", 1}, {"action", "hello"}});
    host.process->send_frame({{"id", 2}, {"action", "nope"}});
    host.process->close_stdin();
    const std::string out = host.process->read_all_stdout();
    std::size_t pos = 0;
    int frames = 0;
    while (pos + 4 <= out.size()) {
        std::uint32_t length = 0;
        std::memcpy(&length, out.data() + pos, 4);
        REQUIRE(pos + 4 + length <= out.size());
        REQUIRE_FALSE(json::parse(out.substr(pos + 4, length), nullptr, false).is_discarded());
        pos += 4 + length;
        ++frames;
    }
    REQUIRE(pos == out.size());
    REQUIRE(frames == 2);
}

TEST_CASE("the CLI runs one request and exits 0 only when it is ok", "[process][cli]") {
    TempDir dir;
    const std::map<std::string, std::string> env = {
        {"PASSAGENT_HOST_CONFIG", dir.path() + "/none.json"}, {"HOME", dir.path()}};
    {
        Process p({PAH_HOST_BIN, "call", "hello"}, env);
        const std::string out = p.read_all_stdout();
        REQUIRE(p.wait() == 0);
        const json reply = json::parse(out);
        REQUIRE(reply["ok"] == true);
        REQUIRE(reply["result"]["protocol"] == 1);
    }
    {
        Process p({PAH_HOST_BIN, "call", "no.such"}, env);
        const std::string out = p.read_all_stdout();
        REQUIRE(p.wait() == 1);
        REQUIRE(json::parse(out)["error"]["code"] == "UNKNOWN_ACTION");
    }
    {
        Process p({PAH_HOST_BIN, "call", "status", "[not an object]"}, env);
        REQUIRE(p.wait() == 2);
    }
    {
        Process p({PAH_HOST_BIN, "--version"}, env);
        REQUIRE(p.read_all_stdout().starts_with("passagent-host "));
        REQUIRE(p.wait() == 0);
    }
    {
        Process p({PAH_HOST_BIN, "--help"}, env);
        REQUIRE(p.read_all_stdout().find("call <action>") != std::string::npos);
        REQUIRE(p.wait() == 0);
    }
    // Every command answers --help with its own usage, and runs nothing.
    for (const char* command : {"call", "totp", "install", "uninstall", "doctor"}) {
        Process p({PAH_HOST_BIN, command, "--help"}, env);
        const std::string out = p.read_all_stdout();
        INFO(command);
        REQUIRE(out.starts_with(std::string("usage: passagent-host ") + command));
        REQUIRE(p.wait() == 0);
    }
    // Also after other options: help, and nothing uninstalled.
    {
        Process p({PAH_HOST_BIN, "uninstall", "--browser", "chrome", "--help"}, env);
        REQUIRE(p.read_all_stdout().starts_with("usage: passagent-host uninstall"));
        REQUIRE(p.wait() == 0);
    }
    // Output that cannot be written (a full disk) is a failure, not exit 0.
    for (const char* command : {"--version", "--help"}) {
        Process p({"sh", "-c", "exec \"$0\" \"$1\" >/dev/full", PAH_HOST_BIN, command}, env);
        INFO(command);
        REQUIRE(p.wait() == 1);
        REQUIRE(p.stderr_text().find("the output could not be written") != std::string::npos);
    }
}
