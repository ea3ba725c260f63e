// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "app/share_view_queue.hpp"

namespace pah {

// Retries the share-view logs that met a transient failure (network, 5xx, 429) on a
// timer, per account, with backoff (1 s, doubling, at most 5 min), so a log reaches the
// server within seconds of its recovery without waiting for another event. Stops for an
// account when its queue is empty or its session has ended (NOT_LOGGED_IN, LOCKED: the
// next unlock flushes). The queue itself keeps the logs durable and sends each once.
// One thread, started on the first schedule. Thread-safe.
class ShareViewRetry {
public:
    // One flush of one account's waiting logs (ShareViewQueue::flush with its sender).
    using Flush = std::function<ShareViewQueue::FlushResult()>;

    struct Backoff {
        std::chrono::milliseconds first{1'000};
        std::chrono::milliseconds most{300'000};
    };

    ShareViewRetry();  // the default backoff
    explicit ShareViewRetry(Backoff backoff) : backoff_(backoff) {}
    ~ShareViewRetry();
    ShareViewRetry(const ShareViewRetry&) = delete;
    ShareViewRetry& operator=(const ShareViewRetry&) = delete;

    // A retry of `account` after the current delay (the first: backoff.first). When one
    // is already waiting it keeps its time and takes this `flush` (the newest session's).
    void schedule(const std::string& account, Flush flush);
    // Whether a retry of `account` is waiting.
    [[nodiscard]] bool waiting(std::string_view account) const;

private:
    struct Pending {
        Flush flush;
        std::chrono::steady_clock::time_point due;
        std::chrono::milliseconds delay;
    };
    void run();

    const Backoff backoff_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::map<std::string, Pending, std::less<>> pending_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace pah
