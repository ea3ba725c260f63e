// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "messaging/frame.hpp"
#include "messaging/worker_pool.hpp"
#include "protocol/dispatcher.hpp"
#include "protocol/envelope.hpp"
#include "protocol/events.hpp"

namespace pah {

struct ServerOptions {
    std::size_t max_incoming_frame = kDefaultMaxIncomingFrame;
    std::size_t max_workers = 64;
    // false: the caller failed the allow-list check; every request gets ORIGIN_NOT_ALLOWED.
    bool caller_allowed = true;
    std::string refused_caller;  // for the error message
    std::function<void()> on_user_activity;
    // Called with each allowed request's action, on the reader thread, before it runs.
    std::function<void(std::string_view action)> on_action;
};

// One writer for all threads: whole frames, in one piece each.
class FrameWriter {
public:
    explicit FrameWriter(int fd) noexcept : fd_(fd) {}
    // Sends one message. A reply over 1 MiB becomes a TOO_LARGE error reply for the
    // same id; an oversized push is dropped and logged. `sensitive`: the message is
    // serialised into locked memory (never a std::string) and wiped after the write.
    // Returns false once the reader is gone (EPIPE).
    bool send(const nlohmann::json& message, bool sensitive = false);
    [[nodiscard]] bool broken() const noexcept { return broken_.load(); }

private:
    bool send_locked(const nlohmann::json& message);

    int fd_;
    std::mutex mu_;
    std::atomic<bool> broken_{false};
};

// The message loop: reads frames from `in_fd`, runs requests, writes replies to `out_fd`.
class MessageServer final : public EventSink {
public:
    MessageServer(int in_fd, int out_fd, const Dispatcher& dispatcher, ServerOptions options);

    // Serves until end of input. Returns once the input is closed; requests still
    // running on workers finish when the server is destroyed.
    void run();
    // Handles one frame's payload (the loop's body): parse_request, then handle_request.
    void handle_payload(std::string payload);
    // Answers one parsed request, or the error parse_request gave with the id it found
    // (the fuzz target parses once itself, to check what parse_request returns).
    void handle_request(Result<Request> parsed, const nlohmann::json& id);
    // Returns once every request handed to the workers so far has been answered.
    void wait_idle() { pool_.wait_idle(); }

    void push(std::string_view event, nlohmann::json data) override;
    [[nodiscard]] FrameWriter& writer() noexcept { return writer_; }

private:
    void reply_error(const nlohmann::json& id, ErrorCode code, std::string message);
    // INTERNAL for a request whose reply could not be built or written; never throws.
    void reply_internal(const nlohmann::json& id, const std::string& action) noexcept;

    int in_fd_;
    const Dispatcher& dispatcher_;
    ServerOptions options_;
    FrameWriter writer_;
    WorkerPool pool_;  // last: destroyed (joined) first, while the rest still exists
};

}  // namespace pah
