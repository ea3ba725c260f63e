// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace pah {

// Background syncs of open vaults: one right after an unlock that answered without a
// sync (from the local copy, or before a PassAgent first sync), and one every
// `syncMinutes` while a vault stays open. One thread, started
// on first use, runs them one after another (each sync's requests are background ones,
// paced behind the user's). A host that never unlocks never starts it.
class SyncTimer {
public:
    using Clock = std::chrono::steady_clock;
    // Syncs `account`; false when its vault is not open (then it is not due again until
    // the next unlock).
    using SyncFn = std::function<bool(const std::string& account)>;

    explicit SyncTimer(SyncFn sync) : sync_(std::move(sync)) {}
    SyncTimer(const SyncTimer&) = delete;
    SyncTimer& operator=(const SyncTimer&) = delete;
    ~SyncTimer();

    // 0 disables the periodic re-sync (a sync `now` still runs).
    void set_interval(std::chrono::milliseconds interval);
    // `account` was unlocked: sync it at once when `now`, and every interval from then.
    void unlocked(const std::string& account, bool now);

private:
    void run();

    SyncFn sync_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::thread thread_;
    std::chrono::milliseconds interval_{5 * 60 * 1000};
    std::map<std::string, Clock::time_point> due_;
    bool stopping_ = false;
};

}  // namespace pah
