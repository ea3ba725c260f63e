// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pah {

// Threads start on demand, so a host that only answers fast requests starts none.
// A task that waits (network, KDF) never delays another: while no thread is idle and
// the cap is not reached, a new one starts.
class WorkerPool {
public:
    explicit WorkerPool(std::size_t max_threads) noexcept : max_threads_(max_threads) {}
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    // Finishes queued tasks, then joins.
    ~WorkerPool();

    void submit(std::function<void()> task);
    // Returns once every task submitted so far has finished (the threads stay).
    void wait_idle();
    [[nodiscard]] std::size_t threads() const;

private:
    void run();

    const std::size_t max_threads_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace pah
