// SPDX-License-Identifier: MIT
#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "app/auto_lock.hpp"

using namespace pah;
using namespace std::chrono_literals;

namespace {

bool wait_for(const std::atomic<int>& value, int expected, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (value.load() == expected) {
            return true;
        }
        std::this_thread::sleep_for(5ms);
    }
    return value.load() == expected;
}

}  // namespace

TEST_CASE("an armed timer fires once after the quiet spell", "[autolock]") {
    std::atomic<int> fired{0};
    AutoLock lock([&fired] { ++fired; });
    lock.set_timeout(50ms);
    lock.arm();
    REQUIRE(wait_for(fired, 1, 2s));
    std::this_thread::sleep_for(150ms);
    REQUIRE(fired == 1);
}

TEST_CASE("activity pushes the deadline back", "[autolock]") {
    std::atomic<int> fired{0};
    AutoLock lock([&fired] { ++fired; });
    // 1.5 s of touches 100 ms apart against a 1 s timeout: without the touches it would
    // have fired; a loaded machine has to stall one 100 ms sleep past 1 s to break it.
    lock.set_timeout(1s);
    lock.arm();
    for (int i = 0; i < 15; ++i) {
        std::this_thread::sleep_for(100ms);
        lock.touch();
    }
    REQUIRE(fired == 0);
    REQUIRE(wait_for(fired, 1, 5s));
}

TEST_CASE("a disarmed or disabled timer never fires", "[autolock]") {
    std::atomic<int> fired{0};
    {
        AutoLock lock([&fired] { ++fired; });
        lock.set_timeout(30ms);
        lock.arm();
        lock.disarm();
        std::this_thread::sleep_for(120ms);
    }
    {
        AutoLock lock([&fired] { ++fired; });
        lock.set_timeout(0ms);
        lock.arm();
        std::this_thread::sleep_for(120ms);
    }
    REQUIRE(fired == 0);
}
