// SPDX-License-Identifier: MIT
#include "app/sync_timer.hpp"

#include <algorithm>

namespace pah {

SyncTimer::~SyncTimer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void SyncTimer::set_interval(std::chrono::milliseconds interval) {
    {
        std::lock_guard lock(mu_);
        interval_ = interval;
    }
    cv_.notify_all();
}

void SyncTimer::unlocked(const std::string& account, bool now) {
    {
        std::lock_guard lock(mu_);
        if (!now && interval_.count() == 0) {
            due_.erase(account);
            return;
        }
        due_.insert_or_assign(account, Clock::now() + (now ? std::chrono::milliseconds(0) : interval_));
        if (!thread_.joinable()) {
            thread_ = std::thread([this] { run(); });
        }
    }
    cv_.notify_all();
}

void SyncTimer::run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        if (due_.empty()) {
            cv_.wait(lock);
            continue;
        }
        const auto next = std::min_element(due_.begin(), due_.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        if (Clock::now() < next->second) {
            cv_.wait_until(lock, next->second);
            continue;
        }
        const std::string account = next->first;
        due_.erase(next);
        lock.unlock();
        const bool open = sync_(account);
        lock.lock();
        // An unlock during the sync already set the next time; keep it.
        if (open && interval_.count() > 0 && !due_.contains(account)) {
            due_.emplace(account, Clock::now() + interval_);
        }
    }
}

}  // namespace pah
