// SPDX-License-Identifier: MIT
// PassAgent end to end: the real host against the test server with 10,000 entries and
// the real KDF parameters (64 MiB / 3 / 4). Prints figures; asserts nothing.
//   passagent_bench [items]   (default 10000; needs node and npm ci in tests/passagent-server)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "support/process.hpp"

using nlohmann::json;
using pah::bench::Clock;
using pah::bench::ms_since;
using pah::bench::status_kib;
using pah::testing::Process;
using pah::testing::TempDir;

namespace {

constexpr const char* kOrigin = "chrome-extension://integrationtestoriginaaaaaaaaaaa/";

long vm_rss_kib(pid_t pid) { return status_kib(pid, "VmRSS"); }

void print_rss(pid_t pid, const char* when) {
    const long rss = vm_rss_kib(pid);
    std::printf("host RSS %s: %ld KiB (%.1f MiB; anon %ld KiB, file %ld KiB)\n", when, rss,
                static_cast<double>(rss) / 1024.0, status_kib(pid, "RssAnon"), status_kib(pid, "RssFile"));
    if (const char* dir = std::getenv("PAH_BENCH_SMAPS")) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
        std::ofstream out(std::string(dir) + "/smaps-" + when);
        out << in.rdbuf();
    }
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
    print_rss(host.pid(), "at start");

    start = Clock::now();
    json reply = call(host, next_id, "session.login",
                      {{"backend", "passagent"}, {"email", account["email"]}, {"password", account["password"]}});
    std::printf("session.login: %.1f ms (%s)\n", ms_since(start), reply["ok"] == true ? "ok" : reply.dump().c_str());
    print_rss(host.pid(), "after sign-in");

    std::size_t events = 0;
    start = Clock::now();
    reply = call(host, next_id, "vault.unlock", {{"masterPassword", account["masterPassword"]}}, &events);
    std::printf("vault.unlock (Argon2id 64 MiB/3/4 + full sync): %.1f ms, items %s, %zu progress events\n",
                ms_since(start), reply["result"].value("items", json()).dump().c_str(), events);
    print_rss(host.pid(), "after unlock (first sync)");

    for (const char* when : {"after a second sync", "after a third sync", "after a fourth sync", "after a fifth sync"}) {
        events = 0;
        start = Clock::now();
        reply = call(host, next_id, "vault.sync", json::object(), &events);
        std::printf("vault.sync: %.1f ms, items %s, %zu progress events\n", ms_since(start),
                    reply["result"].value("items", json()).dump().c_str(), events);
        print_rss(host.pid(), when);
    }
    std::puts("(target: <= 30 MB after sync, and no growth from one sync to the next)");

    // The first entry with TOTP that matches `url` (fixtures: Google is zero-trust, the
    // Example UK app on :8443 is a legacy one whose code the server computes).
    const auto totp_entry = [&](const std::string& page) -> std::string {
        const json found = call(host, next_id, "credentials.match", {{"url", page}});
        if (found["ok"] == true) {
            for (const auto& m : found["result"]["matches"]) {
                if (m.value("hasTotp", false)) {
                    return m["id"];
                }
            }
        }
        return {};
    };
    // Round trips of one request over the open pipe, after a warm-up; `make` gives the
    // i-th request's params.
    const auto round_trips = [&](const char* action, int count, const auto& make) {
        std::vector<double> times;
        std::size_t failed = 0;
        for (int i = -count / 10; i < count; ++i) {
            const auto t = Clock::now();
            reply = call(host, next_id, action, make(i < 0 ? -i : i));
            if (i >= 0) {
                times.push_back(ms_since(t) * 1000.0);
                failed += reply["ok"] == true ? 0U : 1U;
            }
        }
        std::printf("%s round trip over the pipe (%d requests, %zu failed): p50 %.1f us, p99 %.1f us\n", action,
                    count, failed, percentile(times, 0.5), percentile(times, 0.99));
        if (failed > 0) {
            std::printf("  last reply: %s\n", reply.dump().c_str());
        }
    };

    const std::string zero_trust_id = totp_entry("https://accounts.google.com/signin");
    if (!zero_trust_id.empty()) {
        std::printf("totp.code, zero-trust (computed in the host): ");
        round_trips("totp.code", 2000, [&](int) { return json{{"id", zero_trust_id}}; });
    }
    const std::string legacy_id = totp_entry("https://app.example.co.uk:8443/login");
    if (!legacy_id.empty()) {
        // The server limits code requests to 30 a minute.
        std::printf("totp.code, legacy (asked of the server): ");
        round_trips("totp.code", 20, [&](int) { return json{{"id", legacy_id}}; });
    }
    std::printf("credentials.match over %s entries (a page of one of 9,000 shop hosts under example.com): ",
                items.c_str());
    round_trips("credentials.match", 5000, [](int i) {
        return json{{"url", "https://shop" + std::to_string(1 + i * 7 % 9000) + ".example.com/account/login"}};
    });
    print_rss(host.pid(), "at the end");
    host.close_stdin();
    host.wait(std::chrono::seconds(10));
    return 0;
}
