// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace pah {

// Locks the vaults after a quiet spell. The timer thread starts on the first arm(), so a
// host that never unlocks never starts it.
class AutoLock {
public:
    using Clock = std::chrono::steady_clock;

    explicit AutoLock(std::function<void()> on_idle) : on_idle_(std::move(on_idle)) {}
    AutoLock(const AutoLock&) = delete;
    AutoLock& operator=(const AutoLock&) = delete;
    ~AutoLock();

    // 0 disables the timer.
    void set_timeout(std::chrono::milliseconds timeout);
    // A vault was unlocked: start counting from now.
    void arm();
    // Everything is locked: nothing to count.
    void disarm();
    // A person did something: count from now again.
    void touch();

private:
    void run();

    std::function<void()> on_idle_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::thread thread_;
    std::chrono::milliseconds timeout_{15 * 60 * 1000};
    // Set by arm() before the timer reads it: no clock read at start (the first read of
    // the clock faults in the vDSO's data pages, 2-3 page faults of every start).
    Clock::time_point last_activity_{};
    bool armed_ = false;
    bool stopping_ = false;
};

}  // namespace pah
