// SPDX-License-Identifier: MIT
#include "app/auto_lock.hpp"

namespace pah {

AutoLock::~AutoLock() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void AutoLock::set_timeout(std::chrono::milliseconds timeout) {
    {
        std::lock_guard lock(mu_);
        timeout_ = timeout;
    }
    cv_.notify_all();
}

void AutoLock::arm() {
    {
        std::lock_guard lock(mu_);
        armed_ = true;
        last_activity_ = Clock::now();
        if (!thread_.joinable()) {
            thread_ = std::thread([this] { run(); });
        }
    }
    cv_.notify_all();
}

void AutoLock::disarm() {
    {
        std::lock_guard lock(mu_);
        armed_ = false;
    }
    cv_.notify_all();
}

void AutoLock::touch() {
    std::lock_guard lock(mu_);
    last_activity_ = Clock::now();
}

void AutoLock::run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        if (!armed_ || timeout_.count() == 0) {
            cv_.wait(lock);
            continue;
        }
        const auto deadline = last_activity_ + timeout_;
        if (Clock::now() >= deadline) {
            armed_ = false;
            lock.unlock();
            on_idle_();
            lock.lock();
            continue;
        }
        cv_.wait_until(lock, deadline);
    }
}

}  // namespace pah
