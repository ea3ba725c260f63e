// SPDX-License-Identifier: MIT
#pragma once

// Keeps the host inside a server's documented rate limits. PassAgent counts requests in
// sliding windows (seed 001: 100 general requests a minute, 30 password reveals a
// minute, ...), so the pacer remembers when it sent each request of a category and lets
// one more go only when the server cannot be counting more than the limit: a token comes
// back one window (plus a margin for the network's delay) after it was spent. No request
// is sent that is bound to get a 429.
//
// Two priorities: a user's request (a fill, a legacy TOTP code, a share-view log, a
// write) goes before background paging, and background paging never takes the last few
// tokens of a window (`user_reserve`), so that a user's request rarely waits at all.
// A 429 that still comes (another client of the same account) blocks the category until
// its Retry-After has passed.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"

namespace pah::http {

enum class Priority { User, Background };

struct RateLimit {
    std::string category;
    std::size_t max = 0;             // requests in one window
    std::chrono::milliseconds window{0};
    std::size_t user_reserve = 0;    // of those, how many background paging leaves to users
};

// Seed 001's table (and seed 000's sharing limits), as the categories the PassAgent
// backend names: "general", "reveal", "auth", "twofaEnroll", "sharing", "shareCreate".
std::vector<RateLimit> passagent_limits();

// `limits` with the window maximum of `category` set to `max` and its user reserve
// scaled with it (a tenth, as the defaults keep, and at least one): for a server configured with other
// limits than the documented ones.
void set_limit(std::vector<RateLimit>& limits, std::string_view category, std::size_t max);

class RequestPacer {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Duration = std::chrono::milliseconds;
    using Clock = std::function<TimePoint()>;
    using Ticket = std::uint64_t;

    // `margin` is added to every window: the server counts a request when it arrives,
    // later than when it was sent. A category not in `limits` is paced as "general"
    // (or not at all when there is no "general").
    explicit RequestPacer(std::vector<RateLimit> limits, Clock clock = std::chrono::steady_clock::now,
                          Duration margin = std::chrono::seconds(1));
    RequestPacer(const RequestPacer&) = delete;
    RequestPacer& operator=(const RequestPacer&) = delete;

    // The non-blocking core, in three calls: take a place in line, ask whether it is
    // this ticket's turn (nothing: it is, and the request is counted as sent now; else
    // how long until it may be), or give the place up.
    Ticket enqueue(std::string_view category, Priority priority);
    std::optional<Duration> poll(Ticket ticket);
    void cancel(Ticket ticket);

    // Waits for its turn, in real time. RATE_LIMITED (with `retryAfter` seconds) at
    // once when the turn would come later than `max_wait` from now, or when it has not
    // come by then; NETWORK ("cancelled") when `cancel` is set first (the request was
    // abandoned: a lock, a logout). `cancel` is looked at at least once a second.
    Result<void> acquire(std::string_view category, Priority priority, Duration max_wait,
                         const std::atomic<bool>* cancel = nullptr);

    // The server answered 429 with Retry-After: nothing in the category goes before it.
    void on_retry_after(std::string_view category, Duration retry_after);

    // Requests of the category counted in the current window (for figures and tests).
    [[nodiscard]] std::size_t in_window(std::string_view category);

private:
    struct Bucket {
        RateLimit limit;
        std::deque<TimePoint> sent;  // oldest first, at most limit.max
        TimePoint blocked_until{};
    };
    struct Waiting {
        Bucket* bucket = nullptr;  // null: not paced
        Priority priority = Priority::User;
    };

    Bucket* bucket_for(std::string_view category);
    // How long until `bucket` has a token for `priority`; zero when it has one now.
    Duration budget_wait(Bucket& bucket, Priority priority, TimePoint now);
    std::optional<Duration> poll_locked(Ticket ticket, TimePoint now);

    Clock clock_;
    Duration margin_;
    std::mutex mu_;
    std::condition_variable changed_;
    std::vector<std::unique_ptr<Bucket>> buckets_;
    Bucket* general_ = nullptr;
    std::map<Ticket, Waiting> line_;  // by ticket number: the order of arrival
    Ticket next_ticket_ = 1;
};

// One pacer per server, shared by every account and request to it.
class PacerRegistry {
public:
    explicit PacerRegistry(std::function<std::vector<RateLimit>()> limits = passagent_limits)
        : limits_(std::move(limits)) {}
    std::shared_ptr<RequestPacer> for_server(std::string_view origin);
    // The same with these limits when the server's pacer is made now (the first caller's
    // limits win).
    std::shared_ptr<RequestPacer> for_server(std::string_view origin, std::vector<RateLimit> limits);

private:
    std::function<std::vector<RateLimit>()> limits_;
    std::mutex mu_;
    std::map<std::string, std::shared_ptr<RequestPacer>, std::less<>> pacers_;
};

}  // namespace pah::http
