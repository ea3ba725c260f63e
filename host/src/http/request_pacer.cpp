// SPDX-License-Identifier: MIT
#include "http/request_pacer.hpp"

#include <algorithm>

namespace pah::http {

using namespace std::chrono_literals;

std::vector<RateLimit> passagent_limits() {
    return {
        {"general", 100, 60s, 10},
        {"reveal", 30, 60s, 5},
        {"auth", 10, 15min, 0},
        {"twofaEnroll", 5, 15min, 0},
        {"sharing", 30, 60s, 5},
        {"shareCreate", 20, 60s, 0},
        {"sessionShareCreate", 10, 60min, 0},
    };
}

RequestPacer::RequestPacer(std::vector<RateLimit> limits, Clock clock, Duration margin)
    : clock_(std::move(clock)), margin_(margin) {
    for (RateLimit& limit : limits) {
        auto bucket = std::make_unique<Bucket>();
        limit.user_reserve = std::min(limit.user_reserve, limit.max > 0 ? limit.max - 1 : 0);
        bucket->limit = std::move(limit);
        if (bucket->limit.category == "general") {
            general_ = bucket.get();
        }
        buckets_.push_back(std::move(bucket));
    }
}

RequestPacer::Bucket* RequestPacer::bucket_for(std::string_view category) {
    for (auto& bucket : buckets_) {
        if (bucket->limit.category == category) {
            return bucket.get();
        }
    }
    return general_;
}

RequestPacer::Duration RequestPacer::budget_wait(Bucket& bucket, Priority priority, TimePoint now) {
    const auto expiry = bucket.limit.window + margin_;
    while (!bucket.sent.empty() && bucket.sent.front() + expiry <= now) {
        bucket.sent.pop_front();
    }
    Duration wait = 0ms;
    if (bucket.blocked_until > now) {
        wait = std::chrono::ceil<Duration>(bucket.blocked_until - now);
    }
    const std::size_t allowed =
        priority == Priority::User ? bucket.limit.max : bucket.limit.max - bucket.limit.user_reserve;
    const std::size_t n = bucket.sent.size();
    if (n >= allowed) {
        // The (n - allowed + 1) oldest must leave the window first.
        const TimePoint free_at = bucket.sent[n - allowed] + expiry;
        wait = std::max(wait, std::chrono::ceil<Duration>(free_at - now));
    }
    return wait;
}

RequestPacer::Ticket RequestPacer::enqueue(std::string_view category, Priority priority) {
    const std::lock_guard lock(mu_);
    const Ticket ticket = next_ticket_++;
    line_.emplace(ticket, Waiting{bucket_for(category), priority});
    return ticket;
}

std::optional<RequestPacer::Duration> RequestPacer::poll(Ticket ticket) {
    const std::lock_guard lock(mu_);
    return poll_locked(ticket, clock_());
}

std::optional<RequestPacer::Duration> RequestPacer::poll_locked(Ticket ticket, TimePoint now) {
    const auto it = line_.find(ticket);
    if (it == line_.end()) {
        return std::nullopt;  // already granted or cancelled: nothing to wait for
    }
    const Waiting me = it->second;
    if (me.bucket == nullptr) {
        line_.erase(it);
        return std::nullopt;
    }
    // Whoever is ahead in the same bucket goes first: a user's request before any
    // background one, and within a priority the one that came first.
    for (const auto& [other, waiting] : line_) {
        if (other == ticket || waiting.bucket != me.bucket) {
            continue;
        }
        const bool ahead = waiting.priority < me.priority || (waiting.priority == me.priority && other < ticket);
        if (ahead) {
            return std::max(budget_wait(*me.bucket, waiting.priority, now), Duration(1));
        }
    }
    const Duration wait = budget_wait(*me.bucket, me.priority, now);
    if (wait > 0ms) {
        return wait;
    }
    me.bucket->sent.push_back(now);
    line_.erase(it);
    changed_.notify_all();
    return std::nullopt;
}

void RequestPacer::cancel(Ticket ticket) {
    const std::lock_guard lock(mu_);
    if (line_.erase(ticket) > 0) {
        changed_.notify_all();
    }
}

Result<void> RequestPacer::acquire(std::string_view category, Priority priority, Duration max_wait,
                                   const std::atomic<bool>* cancel) {
    std::unique_lock lock(mu_);
    const TimePoint start = clock_();
    Bucket* bucket = bucket_for(category);
    if (bucket == nullptr) {
        return {};
    }
    const auto too_long = [&](Duration wait) {
        const auto seconds = std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
        return fail(ErrorCode::RateLimited,
                    "The server allows only so many requests a minute; try again in " + std::to_string(seconds) +
                        " s.",
                    {{"retryAfter", seconds}});
    };
    // Refused at once when even an empty line would wait too long.
    if (const Duration alone = budget_wait(*bucket, priority, start); alone > max_wait) {
        return too_long(alone);
    }
    const Ticket ticket = next_ticket_++;
    line_.emplace(ticket, Waiting{bucket, priority});
    while (true) {
        const TimePoint now = clock_();
        const std::optional<Duration> wait = poll_locked(ticket, now);
        if (!wait) {
            return {};
        }
        if (cancel != nullptr && cancel->load()) {
            line_.erase(ticket);
            changed_.notify_all();
            return fail(ErrorCode::Network, "The request was cancelled before it was sent.");
        }
        if (now - start + *wait > max_wait) {
            line_.erase(ticket);
            changed_.notify_all();
            return too_long(*wait);
        }
        // Woken early by any grant or cancel; otherwise when the token is due, and at least
        // once a second to look at `cancel`.
        changed_.wait_for(lock, std::min(*wait, Duration(1000)));
    }
}

void RequestPacer::on_retry_after(std::string_view category, Duration retry_after) {
    const std::lock_guard lock(mu_);
    Bucket* bucket = bucket_for(category);
    if (bucket == nullptr) {
        return;
    }
    bucket->blocked_until = std::max(bucket->blocked_until, clock_() + retry_after);
    changed_.notify_all();
}

std::size_t RequestPacer::in_window(std::string_view category) {
    const std::lock_guard lock(mu_);
    Bucket* bucket = bucket_for(category);
    if (bucket == nullptr) {
        return 0;
    }
    (void)budget_wait(*bucket, Priority::User, clock_());
    return bucket->sent.size();
}

void set_limit(std::vector<RateLimit>& limits, std::string_view category, std::size_t max) {
    for (RateLimit& limit : limits) {
        if (limit.category == category) {
            // At least one left to users when the documented limit leaves any.
            const std::size_t scaled = limit.max > 0 ? limit.user_reserve * max / limit.max : 0;
            limit.user_reserve =
                limit.user_reserve > 0 && max > 1 ? std::max<std::size_t>(scaled, 1) : scaled;
            limit.max = max;
        }
    }
}

std::shared_ptr<RequestPacer> PacerRegistry::for_server(std::string_view origin) {
    return for_server(origin, limits_());
}

std::shared_ptr<RequestPacer> PacerRegistry::for_server(std::string_view origin,
                                                        std::vector<RateLimit> limits) {
    const std::lock_guard lock(mu_);
    const auto it = pacers_.find(origin);
    if (it != pacers_.end()) {
        return it->second;
    }
    auto pacer = std::make_shared<RequestPacer>(std::move(limits));
    pacers_.emplace(std::string(origin), pacer);
    return pacer;
}

}  // namespace pah::http
