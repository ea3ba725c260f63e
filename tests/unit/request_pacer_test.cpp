// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <vector>

#include "http/request_pacer.hpp"

using namespace std::chrono_literals;
using pah::http::Priority;
using pah::http::RateLimit;
using pah::http::RequestPacer;

namespace {

// A clock the test moves by hand: nothing here sleeps.
struct FakeClock {
    RequestPacer::TimePoint now{std::chrono::hours(1000)};
    RequestPacer::Clock fn() {
        return [this] { return now; };
    }
};

std::vector<RateLimit> limits(std::size_t max = 10, std::size_t reserve = 2) {
    return {{"general", max, 60s, reserve}, {"reveal", 3, 60s, 0}};
}

// Grants as many requests as the pacer allows right now; returns how many.
std::size_t drain(RequestPacer& pacer, std::string_view category, Priority priority) {
    std::size_t sent = 0;
    while (true) {
        const auto ticket = pacer.enqueue(category, priority);
        if (pacer.poll(ticket)) {
            pacer.cancel(ticket);
            return sent;
        }
        ++sent;
    }
}

}  // namespace

TEST_CASE("the pacer sends a full window's worth and then waits for the oldest to leave it", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(), clock.fn(), 1s);

    CHECK(drain(pacer, "general", Priority::User) == 10);
    const auto t = pacer.enqueue("general", Priority::User);
    const auto wait = pacer.poll(t);
    REQUIRE(wait);
    CHECK(*wait == 61s);  // the window plus the margin

    clock.now += 60s;
    CHECK(pacer.poll(t) == std::optional<RequestPacer::Duration>(1s));
    clock.now += 1s;
    CHECK_FALSE(pacer.poll(t));  // granted
    CHECK(pacer.in_window("general") == 1);  // the first ten have left the window
}

TEST_CASE("the pacer never lets more than the limit into any window", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(10, 0), clock.fn(), 0s);
    std::vector<RequestPacer::TimePoint> sent;
    // Requests arriving every 1.5 s for 10 minutes, each sent as soon as allowed.
    const auto start = clock.now;
    std::vector<RequestPacer::Ticket> waiting;
    for (auto at = start; at < start + 10min; at += 500ms) {
        clock.now = at;
        if ((at - start) % 1500ms == 0ms) {
            waiting.push_back(pacer.enqueue("general", Priority::Background));
        }
        while (!waiting.empty() && !pacer.poll(waiting.front())) {
            sent.push_back(at);
            waiting.erase(waiting.begin());
        }
    }
    REQUIRE(sent.size() > 50);
    for (std::size_t i = 10; i < sent.size(); ++i) {
        // The 11th request after any one is a full window later.
        CHECK(sent[i] - sent[i - 10] >= 60s);
    }
}

TEST_CASE("background paging leaves the reserve to the user", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(10, 2), clock.fn());
    CHECK(drain(pacer, "general", Priority::Background) == 8);
    CHECK(drain(pacer, "general", Priority::User) == 2);
}

TEST_CASE("a user's request goes before background requests that came first", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(10, 0), clock.fn(), 0s);
    CHECK(drain(pacer, "general", Priority::User) == 10);

    const auto background = pacer.enqueue("general", Priority::Background);
    const auto user = pacer.enqueue("general", Priority::User);
    REQUIRE(pacer.poll(background));
    REQUIRE(pacer.poll(user));

    clock.now += 60s;  // one token back
    CHECK(pacer.poll(background));  // waits: the user is ahead
    CHECK_FALSE(pacer.poll(user));
    // Everything else came back in the same instant, so background goes next.
    CHECK_FALSE(pacer.poll(background));
}

TEST_CASE("requests of one priority go in the order they came", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(1, 0), clock.fn(), 0s);
    const auto first = pacer.enqueue("general", Priority::Background);
    const auto second = pacer.enqueue("general", Priority::Background);
    CHECK(pacer.poll(second));  // the first has not gone yet
    CHECK_FALSE(pacer.poll(first));
    clock.now += 60s;
    CHECK_FALSE(pacer.poll(second));
}

TEST_CASE("a cancelled place in line lets the next one go", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(1, 0), clock.fn(), 0s);
    const auto first = pacer.enqueue("general", Priority::User);
    const auto second = pacer.enqueue("general", Priority::User);
    pacer.cancel(first);
    CHECK_FALSE(pacer.poll(second));
}

TEST_CASE("categories are paced apart, and an unknown one counts as general", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(10, 0), clock.fn());
    CHECK(drain(pacer, "reveal", Priority::User) == 3);
    CHECK(drain(pacer, "no-such-category", Priority::User) == 10);
    CHECK(drain(pacer, "general", Priority::User) == 0);
}

TEST_CASE("Retry-After blocks the category until it has passed", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(), clock.fn());
    pacer.on_retry_after("general", 30s);
    const auto t = pacer.enqueue("general", Priority::User);
    CHECK(pacer.poll(t) == std::optional<RequestPacer::Duration>(30s));
    CHECK(drain(pacer, "reveal", Priority::User) == 3);  // other categories go on
    clock.now += 30s;
    CHECK_FALSE(pacer.poll(t));
}

TEST_CASE("acquire refuses at once, with retryAfter, a wait longer than the caller allows", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(), clock.fn());
    REQUIRE(pacer.acquire("reveal", Priority::User, 0ms));
    REQUIRE(pacer.acquire("reveal", Priority::User, 0ms));
    REQUIRE(pacer.acquire("reveal", Priority::User, 0ms));
    auto refused = pacer.acquire("reveal", Priority::User, 5s);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == pah::ErrorCode::RateLimited);
    CHECK(refused.error().extra["retryAfter"] == 61);
    CHECK(pacer.in_window("reveal") == 3);  // the refused one was not counted
}

TEST_CASE("acquire gives up a wait at once when the request is cancelled", "[pacer]") {
    FakeClock clock;
    RequestPacer pacer(limits(1, 0), clock.fn());
    REQUIRE(pacer.acquire("general", Priority::Background, 0ms));
    const std::atomic<bool> cancel{true};
    auto r = pacer.acquire("general", Priority::Background, std::chrono::hours(1), &cancel);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == pah::ErrorCode::Network);
    CHECK(pacer.in_window("general") == 1);
}

TEST_CASE("the PassAgent table has seed 001's general and reveal limits", "[pacer]") {
    const auto table = pah::http::passagent_limits();
    const auto find = [&](std::string_view name) {
        for (const auto& l : table) {
            if (l.category == name) {
                return l;
            }
        }
        FAIL("no category " << name);
        return RateLimit{};
    };
    CHECK(find("general").max == 100);
    CHECK(find("general").window == 60s);
    CHECK(find("reveal").max == 30);
    CHECK(find("auth").max == 10);
    CHECK(find("auth").window == 15min);
}

TEST_CASE("one pacer per server origin", "[pacer]") {
    pah::http::PacerRegistry registry;
    auto a = registry.for_server("http://127.0.0.1:1");
    CHECK(a == registry.for_server("http://127.0.0.1:1"));
    CHECK(a != registry.for_server("http://127.0.0.1:2"));
}

TEST_CASE("a configured limit replaces the documented one and scales the user reserve", "[pacer]") {
    auto table = pah::http::passagent_limits();
    pah::http::set_limit(table, "general", 20);
    FakeClock clock;
    RequestPacer pacer(table, clock.fn());
    // 20 a window, of which background paging leaves 2 (a tenth, as 10 of 100) to users.
    CHECK(drain(pacer, "general", Priority::Background) == 18);
    CHECK(drain(pacer, "general", Priority::User) == 2);
    CHECK(drain(pacer, "reveal", Priority::User) == 30);
}

TEST_CASE("the first limits a server's pacer is made with are kept", "[pacer]") {
    pah::http::PacerRegistry registry;
    auto table = pah::http::passagent_limits();
    pah::http::set_limit(table, "general", 3);
    auto a = registry.for_server("http://127.0.0.1:1", table);
    CHECK(a == registry.for_server("http://127.0.0.1:1"));
    CHECK(drain(*a, "general", Priority::User) == 3);
}
