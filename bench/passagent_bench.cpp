// SPDX-License-Identifier: MIT
// PassAgent end to end: the real host against the test server with 10,000 entries and
// the real KDF parameters (64 MiB / 3 / 4). Prints figures; asserts nothing.
//   passagent_bench [items]   (default 10000; needs node and npm ci in tests/passagent-server)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using nlohmann::json;
using pah::testing::Process;
using pah::testing::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kOrigin = "chrome-extension://integrationtestoriginaaaaaaaaaaa/";

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long vm_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

json call(Process& host, int& next_id, const std::string& action, const json& params, std::size_t* events = nullptr) {
    const int id = next_id++;
    host.send_frame({{"id", id}, {"action", action}, {"params", params}});
    for (;;) {
        auto frame = host.read_frame(std::chrono::minutes(10));
        (void)host.stderr_text();
        if (!frame) {
            return json{{"ok", false}, {"error", {{"code", "NO_REPLY"}}}};
        }
        if (frame->contains("id") && (*frame)["id"] == id) {
            if (frame->contains("event")) {
                if (events != nullptr) {
                    ++*events;
                }
                continue;
            }
            return *frame;
        }
    }
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

}  // namespace

int main(int argc, char** argv) {
    const std::string items = argc > 1 ? argv[1] : "10000";
    const std::filesystem::path server_dir = std::filesystem::path(PAH_SOURCE_DIR) / "tests" / "passagent-server";
    if (!std::filesystem::exists(server_dir / "node_modules")) {
        std::puts("passagent_bench: run `npm ci` in tests/passagent-server first");
        return 0;
    }
    // The real KDF parameters (the server's defaults); a general limit high enough that
    // the figures measure the host, not Retry-After waits (at the documented 100/min a
    // 10,000-entry sync waits about a minute; the host handles that, see the tests).
    auto start = Clock::now();
    Process server({"node", (server_dir / "serve.mjs").string(), "--port", "0", "--test", "--seed", "1", "--items",
                    items, "--general-limit", "100000"});
    auto listening = server.read_line(std::chrono::minutes(2));
    auto account_line = server.read_line(std::chrono::seconds(10));
    if (!listening || !account_line) {
        std::puts("passagent_bench: the test server did not start");
        return 1;
    }
    const std::string url = listening->substr(std::string("listening on ").size());
    const json account = json::parse(*account_line);
    std::printf("server: %s entries, started in %.0f ms\n", items.c_str(), ms_since(start));

    TempDir dir;
    const std::string config = dir.write(
        "config.json", json{{"allowedOrigins", {kOrigin}}, {"server", url}, {"anonKey", account["anonKey"]}}.dump());
    Process host({PAH_HOST_BIN, kOrigin}, {{"PASSAGENT_HOST_CONFIG", config},
                                           {"XDG_STATE_HOME", dir.path() + "/state"},
                                           {"HOME", dir.path()}});
    int next_id = 1;
    (void)call(host, next_id, "hello", json::object());
    std::printf("host RSS at start: %ld KiB\n", vm_rss_kib(host.pid()));

    start = Clock::now();
    json reply = call(host, next_id, "session.login",
                      {{"backend", "passagent"}, {"email", account["email"]}, {"password", account["password"]}});
    std::printf("session.login: %.1f ms (%s)\n", ms_since(start), reply["ok"] == true ? "ok" : reply.dump().c_str());

    std::size_t events = 0;
    start = Clock::now();
    reply = call(host, next_id, "vault.unlock", {{"masterPassword", account["masterPassword"]}}, &events);
    std::printf("vault.unlock (Argon2id 64 MiB/3/4 + full sync): %.1f ms, items %s, %zu progress events\n",
                ms_since(start), reply["result"].value("items", json()).dump().c_str(), events);
    std::printf("host RSS after unlock: %ld KiB\n", vm_rss_kib(host.pid()));

    events = 0;
    start = Clock::now();
    reply = call(host, next_id, "vault.sync", json::object(), &events);
    std::printf("vault.sync: %.1f ms, items %s, %zu progress events\n", ms_since(start),
                reply["result"].value("items", json()).dump().c_str(), events);
    const long rss = vm_rss_kib(host.pid());
    std::printf("host RSS after sync: %ld KiB (%.1f MiB; target <= 30 MiB)\n", rss, static_cast<double>(rss) / 1024.0);

    // A zero-trust TOTP entry (the Google fixture).
    json match = call(host, next_id, "credentials.match", {{"url", "https://accounts.google.com/signin"}});
    std::string zero_trust_id;
    if (match["ok"] == true) {
        for (const auto& m : match["result"]["matches"]) {
            if (m.value("hasTotp", false)) {
                zero_trust_id = m["id"];
                break;
            }
        }
    }
    if (!zero_trust_id.empty()) {
        std::vector<double> times;
        for (int i = 0; i < 200; ++i) {
            const auto t = Clock::now();
            reply = call(host, next_id, "totp.code", {{"id", zero_trust_id}});
            times.push_back(ms_since(t));
        }
        std::printf("totp.code (zero-trust) round trip: p50 %.3f ms, p99 %.3f ms (%s)\n", percentile(times, 0.5),
                    percentile(times, 0.99), reply["ok"] == true ? "ok" : reply.dump().c_str());
    }
    if (match["ok"] == true) {
        std::vector<double> times;
        for (int i = 0; i < 500; ++i) {
            const auto t = Clock::now();
            reply = call(host, next_id, "credentials.match",
                         {{"url", "https://shop" + std::to_string(1 + i * 7 % 9000) + ".example.com/account/login"}});
            times.push_back(ms_since(t));
        }
        std::printf("credentials.match over %s entries: p50 %.3f ms, p99 %.3f ms\n", items.c_str(),
                    percentile(times, 0.5), percentile(times, 0.99));
    }
    host.close_stdin();
    host.wait(std::chrono::seconds(10));
    return 0;
}
