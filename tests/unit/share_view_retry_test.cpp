// SPDX-License-Identifier: MIT
// The share-view retry timer, with a short backoff and a flush that fails until told.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/share_view_retry.hpp"

using namespace pah;
using namespace std::chrono_literals;

namespace {

// Waits (generously) for `done`; the tests check what happened, not how fast.
template <typename Predicate>
bool eventually(Predicate done) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

ShareViewQueue::FlushResult failed(ErrorCode code) {
    ShareViewQueue::FlushResult r;
    r.remaining = 1;
    r.stopped_by = Error{code, "test"};
    return r;
}

}  // namespace

TEST_CASE("a failed share-view flush is retried until the server takes it", "[share_view_retry]") {
    ShareViewRetry retry({.first = 1ms, .most = 8ms});
    std::atomic<int> calls{0};
    std::atomic<bool> server_up{false};

    retry.schedule("acc", [&] {
        ++calls;
        if (!server_up) {
            return failed(ErrorCode::Server);
        }
        ShareViewQueue::FlushResult ok;
        ok.sent = 1;
        return ok;
    });
    REQUIRE(eventually([&] { return calls >= 4; }));
    CHECK(retry.waiting("acc"));
    server_up = true;

    REQUIRE(eventually([&] { return !retry.waiting("acc"); }));
    const int settled = calls;
    std::this_thread::sleep_for(30ms);
    CHECK(calls == settled);  // no retries once nothing waits
}

TEST_CASE("retries end when the session has ended", "[share_view_retry]") {
    ShareViewRetry retry({.first = 1ms, .most = 8ms});
    std::atomic<int> calls{0};
    retry.schedule("acc", [&] {
        ++calls;
        return failed(calls < 3 ? ErrorCode::Network : ErrorCode::NotLoggedIn);
    });
    REQUIRE(eventually([&] { return !retry.waiting("acc"); }));
    CHECK(calls == 3);
}

TEST_CASE("a second schedule keeps one retry per account with the newest flush", "[share_view_retry]") {
    ShareViewRetry retry({.first = 1s, .most = 2s});
    std::atomic<int> old_calls{0};
    std::atomic<int> new_calls{0};
    retry.schedule("acc", [&] {
        ++old_calls;
        return ShareViewQueue::FlushResult{};
    });
    retry.schedule("acc", [&] {
        ++new_calls;
        return ShareViewQueue::FlushResult{};
    });
    REQUIRE(eventually([&] { return !retry.waiting("acc"); }));
    CHECK(old_calls == 0);
    CHECK(new_calls == 1);
}
