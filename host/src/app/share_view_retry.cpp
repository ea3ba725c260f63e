// SPDX-License-Identifier: MIT
#include "app/share_view_retry.hpp"

#include <algorithm>
#include <utility>

#include "log/log.hpp"

namespace pah {

namespace {

// After these the session is gone; retrying cannot succeed until the next unlock, which
// flushes the queue itself.
bool session_ended(const std::optional<Error>& error) {
    return error && (error->code == ErrorCode::NotLoggedIn || error->code == ErrorCode::Locked);
}

}  // namespace

ShareViewRetry::ShareViewRetry() : backoff_(Backoff{}) {}

ShareViewRetry::~ShareViewRetry() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void ShareViewRetry::schedule(const std::string& account, Flush flush) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) {
            return;
        }
        auto it = pending_.find(account);
        if (it != pending_.end()) {
            it->second.flush = std::move(flush);
            return;
        }
        pending_.emplace(account, Pending{std::move(flush), std::chrono::steady_clock::now() + backoff_.first,
                                          backoff_.first});
        if (!thread_.joinable()) {
            thread_ = std::thread([this] { run(); });
        }
    }
    cv_.notify_all();
}

bool ShareViewRetry::waiting(std::string_view account) const {
    std::lock_guard lock(mu_);
    return pending_.find(account) != pending_.end();
}

void ShareViewRetry::run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        if (pending_.empty()) {
            cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
            continue;
        }
        const auto next =
            std::min_element(pending_.begin(), pending_.end(),
                             [](const auto& a, const auto& b) { return a.second.due < b.second.due; });
        if (std::chrono::steady_clock::now() < next->second.due) {
            cv_.wait_until(lock, next->second.due);
            continue;  // woken early (a new account, stopping) or due: look again
        }
        const std::string account = next->first;
        const Flush flush = next->second.flush;
        lock.unlock();
        ShareViewQueue::FlushResult result;
        try {
            result = flush();
        } catch (...) {
            result.remaining = 1;  // as a transient failure: tried again later
            result.stopped_by = Error{ErrorCode::Internal, "the retry failed"};
        }
        lock.lock();
        const auto it = pending_.find(account);
        if (it == pending_.end()) {
            continue;
        }
        if (result.remaining == 0 || session_ended(result.stopped_by)) {
            log::info("shares", "share-view retry: sent " + std::to_string(result.sent) + ", " +
                                    std::to_string(result.remaining) + " still waiting; retries end");
            pending_.erase(it);
            continue;
        }
        it->second.delay = std::min(it->second.delay * 2, backoff_.most);
        it->second.due = std::chrono::steady_clock::now() + it->second.delay;
        log::info("shares", std::to_string(result.remaining) + " share view(s) still waiting; next try in " +
                                std::to_string(it->second.delay.count() / 1000) + " s");
    }
}

}  // namespace pah
