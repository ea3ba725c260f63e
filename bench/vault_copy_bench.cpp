// SPDX-License-Identifier: MIT
// The local vault copy, end to end: the real host against the PassAgent test server with
// 20,000 entries and the real KDF parameters (64 MiB / 3 / 4). Prints figures; asserts
// nothing.
//   vault_copy_bench [items] [general-limit]
// Default: 20000 entries at the server's documented limit of 100 general requests a
// minute (the first sync is then paced: about two minutes). A higher limit raises the
// server's limit and the host's own pace with it (config `passagent.rateLimits.general`),
// so that a large vault (`vault_copy_bench 100000 2000`: the RSS after the sync of
// 100,000 entries) syncs in minutes instead of most of an hour; every line of such a run
// is printed as "RAISED", and its sync times say nothing about the documented limits.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "support/process.hpp"

using nlohmann::json;
using pah::bench::Clock;
using pah::bench::load_average;
using pah::bench::ms_since;
using pah::bench::status_kib;
using pah::testing::Process;
using pah::testing::TempDir;

namespace {

constexpr const char* kOrigin = "chrome-extension://integrationtestoriginaaaaaaaaaaa/";

// `label`: " [RAISED limit]" in a run at a raised limit.
void print_rss(pid_t pid, const char* when, const char* label) {
    const long rss = status_kib(pid, "VmRSS");
    std::printf("  host RSS %s%s: %.1f MiB (anon %ld KiB, file %ld KiB; peak so far %.1f MiB)\n", when, label,
                static_cast<double>(rss) / 1024.0, status_kib(pid, "RssAnon"), status_kib(pid, "RssFile"),
                static_cast<double>(status_kib(pid, "VmHWM")) / 1024.0);
}

// The host, as Chromium starts it, with its state in `state`.
class Host {
public:
    Host(const TempDir& dir, const std::string& config)
        : process_({PAH_HOST_BIN, kOrigin}, {{"PASSAGENT_HOST_CONFIG", config},
                                             {"XDG_STATE_HOME", dir.path() + "/state"},
                                             {"HOME", dir.path()},
                                             {"PASSAGENT_HOST_LOG", "info"}}) {}

    // The reply to one request; pushes are counted on the way.
    json call(const std::string& action, const json& params = json::object()) {
        const int id = next_id_++;
        process_.send_frame({{"id", id}, {"action", action}, {"params", params}});
        for (;;) {
            auto frame = process_.read_frame(std::chrono::minutes(20));
            (void)process_.stderr_text();
            if (!frame) {
                return json{{"ok", false}, {"error", {{"code", "NO_REPLY"}}}};
            }
            if (!frame->contains("id")) {
                note_push(*frame);
                continue;
            }
            if ((*frame)["id"] == id && !frame->contains("event")) {
                return *frame;
            }
        }
    }

    // Reads pushes until a background sync ends (or 20 minutes pass); whether it did.
    bool wait_sync_end() {
        while (!sync_ended_) {
            auto frame = process_.read_frame(std::chrono::minutes(20));
            if (!frame) {
                return false;
            }
            if (!frame->contains("id")) {
                note_push(*frame);
            }
        }
        sync_ended_ = false;
        return true;
    }

    // The host's log lines that mention `what` since the last call.
    void print_log(const std::string& what) {
        const std::string log = process_.stderr_text();  // everything so far
        std::size_t at = printed_;
        while ((at = log.find(what, at)) != std::string::npos) {
            const std::size_t begin = log.rfind('\n', at) + 1;
            const std::size_t end = log.find('\n', at);
            std::printf("  host log: %s\n", log.substr(begin, end - begin).c_str());
            at = end;
        }
        printed_ = log.size();
    }

    [[nodiscard]] pid_t pid() const noexcept { return process_.pid(); }
    void close() {
        process_.close_stdin();
        (void)process_.wait(std::chrono::seconds(10));
    }

private:
    void note_push(const json& frame) {
        const std::string event = frame.value("event", "");
        if (event == "sync" && frame["data"].contains("complete")) {
            sync_ended_ = true;
        }
        if (event == "items-changed") {
            ++items_changed_;
            if (!first_items_) {
                first_items_ = Clock::now();
            }
        }
    }

    Process process_;
    int next_id_ = 1;
    bool sync_ended_ = false;
    std::size_t printed_ = 0;

public:
    // items-changed pushes read so far, and when the first came.
    std::size_t items_changed_ = 0;
    std::optional<Clock::time_point> first_items_;
};

const char* ok(const json& reply) { return reply["ok"] == true ? "ok" : "FAILED"; }

}  // namespace

int main(int argc, char** argv) {
    const std::string items = argc > 1 ? argv[1] : "20000";
    const std::string limit = argc > 2 ? argv[2] : "100";
    const std::filesystem::path server_dir =
        std::filesystem::path(PAH_SOURCE_DIR) / "tests" / "passagent-server";
    if (!std::filesystem::exists(server_dir / "node_modules")) {
        std::puts("vault_copy_bench: run `npm ci` in tests/passagent-server first");
        return 0;
    }
    auto start = Clock::now();
    auto server = std::make_unique<Process>(
        std::vector<std::string>{"node", (server_dir / "serve.mjs").string(), "--port", "0", "--test",
                                 "--seed", "1", "--items", items, "--general-limit", limit});
    // Generating 100,000 sealed entries takes the server minutes on a busy machine.
    auto listening = server->read_line(std::chrono::minutes(20));
    auto account_line = server->read_line(std::chrono::seconds(10));
    if (!listening || !account_line) {
        std::puts("vault_copy_bench: the test server did not start");
        return 1;
    }
    const std::string url = listening->substr(std::string("listening on ").size());
    const json account = json::parse(*account_line);
    const bool raised = limit != "100";
    std::printf("server: %s entries, general limit %s a minute%s, started in %.0f ms; load average %s\n",
                items.c_str(), limit.c_str(),
                raised ? " (RAISED: PassAgent documents 100; the host paces itself at the raised limit too)"
                       : " (documented)",
                ms_since(start), load_average().c_str());
    const char* label = raised ? " [RAISED limit]" : "";

    TempDir dir;
    json host_config{{"allowedOrigins", {kOrigin}}, {"server", url}, {"anonKey", account["anonKey"]}};
    if (raised) {
        host_config["passagent"] = {{"rateLimits", {{"general", std::stoll(limit)}}}};
    }
    const std::string config = dir.write("config.json", host_config.dump());
    const json login{
        {"backend", "passagent"}, {"email", account["email"]}, {"password", account["password"]}};
    const json master{{"masterPassword", account["masterPassword"]}};

    {
        Host host(dir, config);
        (void)host.call("hello");
        (void)host.call("session.login", login);
        start = Clock::now();
        json reply = host.call("vault.unlock", master);
        std::printf(
            "first unlock (Argon2id 64 MiB/3/4, no copy; the first sync goes on in the background)%s: "
            "%.0f ms, %s, items %s\n",
            label, ms_since(start), ok(reply), reply["result"].value("items", json()).dump().c_str());
        const bool first_synced = host.wait_sync_end();
        std::printf(
            "  first sync in the background%s: %.0f ms from the unlock request to its end (%s); "
            "first entries shown after %.0f ms; %zu items-changed pushes\n",
            label, ms_since(start), first_synced ? "done" : "no end seen",
            host.first_items_ ? std::chrono::duration<double, std::milli>(*host.first_items_ - start).count()
                              : -1.0,
            host.items_changed_);
        std::this_thread::sleep_for(std::chrono::seconds(1));
        print_rss(host.pid(), "after the first sync (copy written)", label);
        const auto copy_dir = std::filesystem::path(dir.path()) / "state" / "passagent-host" / "vaults";
        for (const auto& entry : std::filesystem::directory_iterator(copy_dir)) {
            std::printf("  copy file: %.1f MiB\n",
                        static_cast<double>(entry.file_size()) / (1024.0 * 1024.0));
        }

        (void)host.call("vault.lock");
        start = Clock::now();
        reply = host.call("vault.unlock", master);
        std::printf("unlock from the local copy (same host): %.0f ms, %s, items %s\n", ms_since(start),
                    ok(reply), reply["result"].value("items", json()).dump().c_str());
        host.print_log("local copy");
        print_rss(host.pid(), "after the unlock from the copy", label);
        start = Clock::now();
        const bool synced = host.wait_sync_end();
        std::printf("  background sync after it%s: %.0f ms to its end (%s)\n", label, ms_since(start),
                    synced ? "done" : "no end seen");
        // The sync's last push comes before the host hands the freed heap back (items_changed).
        std::this_thread::sleep_for(std::chrono::seconds(1));
        print_rss(host.pid(), "after the background sync", label);
        host.close();
    }
    {
        // A browser restart: a new host, signed in again, unlocking from the copy.
        Host host(dir, config);
        (void)host.call("session.login", login);
        start = Clock::now();
        const json reply = host.call("vault.unlock", master);
        std::printf("unlock from the local copy (new host process): %.0f ms, %s, items %s\n", ms_since(start),
                    ok(reply), reply["result"].value("items", json()).dump().c_str());
        host.print_log("local copy");
        print_rss(host.pid(), "after it", label);

        (void)host.call("vault.lock");
        server.reset();  // the server goes away
        start = Clock::now();
        const json offline = host.call("vault.unlock", master);
        std::printf("unlock from the local copy with the server down: %.0f ms, %s, items %s\n",
                    ms_since(start), ok(offline), offline["result"].value("items", json()).dump().c_str());
        host.print_log("local copy");
        host.close();
    }
    std::printf("load average at the end: %s\n", load_average().c_str());
    std::puts("(goal: unlock from the copy of 20,000 entries <= 1 s, most of it Argon2id)");
    return 0;
}
