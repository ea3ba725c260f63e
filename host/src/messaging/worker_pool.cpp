// SPDX-License-Identifier: MIT
#include "messaging/worker_pool.hpp"

namespace pah {

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
}

void WorkerPool::submit(std::function<void()> task) {
    std::unique_lock lock(mu_);
    queue_.push_back(std::move(task));
    if (idle_ < queue_.size() && threads_.size() < max_threads_) {
        threads_.emplace_back([this] { run(); });
    }
    lock.unlock();
    cv_.notify_one();
}

void WorkerPool::wait_idle() {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [this] { return queue_.empty() && idle_ == threads_.size(); });
}

std::size_t WorkerPool::threads() const {
    std::lock_guard lock(mu_);
    return threads_.size();
}

void WorkerPool::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        ++idle_;
        if (queue_.empty() && idle_ == threads_.size()) {
            idle_cv_.notify_all();
        }
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) {
            return;  // stopping, nothing left
        }
        auto task = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            task();
        } catch (...) {
            // A task answers its own errors (MessageServer's catch INTERNAL); a thread
            // that let one through would end the process in std::terminate.
        }
        task = nullptr;
        lock.lock();
    }
}

}  // namespace pah
