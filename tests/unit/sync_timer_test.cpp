// SPDX-License-Identifier: MIT
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "app/sync_timer.hpp"

using namespace pah;
using namespace std::chrono_literals;

namespace {

// The syncs a timer asked for, per account; `open` says whether the vault is open.
struct Calls {
    std::mutex mu;
    std::map<std::string, int> count;
    std::atomic<bool> open{true};

    bool sync(const std::string& account) {
        std::lock_guard lock(mu);
        ++count[account];
        return open.load();
    }
    int of(const std::string& account) {
        std::lock_guard lock(mu);
        return count[account];
    }
    bool wait_for(const std::string& account, int at_least, std::chrono::milliseconds limit) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (of(account) >= at_least) {
                return true;
            }
            std::this_thread::sleep_for(5ms);
        }
        return of(account) >= at_least;
    }
};

}  // namespace

TEST_CASE("an unlock from the local copy is synced at once, then every interval", "[sync-timer]") {
    Calls calls;
    SyncTimer timer([&calls](const std::string& account) { return calls.sync(account); });
    timer.set_interval(50ms);
    timer.unlocked("a", true);
    REQUIRE(calls.wait_for("a", 1, 2s));
    REQUIRE(calls.wait_for("a", 3, 5s));
    CHECK(calls.of("b") == 0);
}

TEST_CASE("a vault that is no longer open is not synced again", "[sync-timer]") {
    Calls calls;
    calls.open = false;
    SyncTimer timer([&calls](const std::string& account) { return calls.sync(account); });
    timer.set_interval(20ms);
    timer.unlocked("a", true);
    REQUIRE(calls.wait_for("a", 1, 2s));
    std::this_thread::sleep_for(200ms);
    CHECK(calls.of("a") == 1);
}

TEST_CASE("with the interval at 0 only the sync asked for now runs", "[sync-timer]") {
    Calls calls;
    SyncTimer timer([&calls](const std::string& account) { return calls.sync(account); });
    timer.set_interval(0ms);
    timer.unlocked("quiet", false);
    timer.unlocked("now", true);
    REQUIRE(calls.wait_for("now", 1, 2s));
    std::this_thread::sleep_for(100ms);
    CHECK(calls.of("now") == 1);
    CHECK(calls.of("quiet") == 0);
}
