// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/client.hpp"
#include "protocol/error.hpp"

namespace pah::http {

struct SseEvent {
    std::string type = "message";  // the "event:" field, "message" when absent
    std::string data;              // "data:" lines joined with '\n'
    std::string id;                // the last event id seen so far
};

// Receives one event; return false to stop the stream.
using SseHandler = std::function<bool(const SseEvent& event)>;

// An incremental text/event-stream parser (the WHATWG "event stream interpretation"):
// fields event/data/id/retry, comments, CR, LF or CRLF line ends, a leading BOM, and
// chunk boundaries anywhere (also inside a CRLF or the BOM). An event is dispatched at
// its blank line; a half-received event at the end of the stream is dropped.
class SseParser {
public:
    // Lines or events over this size make the parser fail (a hostile server).
    static constexpr std::size_t kMaxEventBytes = 1024U * 1024U;

    // Feeds the next bytes. Returns false once the handler asked to stop or the
    // stream broke a limit (see failed()); later calls do nothing.
    bool feed(std::string_view chunk, const SseHandler& handler);

    [[nodiscard]] bool failed() const noexcept { return failed_; }
    [[nodiscard]] bool stopped() const noexcept { return stopped_; }
    [[nodiscard]] const std::string& last_event_id() const noexcept { return last_id_; }
    // The server's "retry:" advice, in milliseconds.
    [[nodiscard]] std::optional<std::int64_t> retry_ms() const noexcept { return retry_ms_; }

private:
    void line(std::string_view text, const SseHandler& handler);
    void dispatch(const SseHandler& handler);

    std::string line_;
    std::string data_;
    std::string type_;
    std::string last_id_;
    std::optional<std::int64_t> retry_ms_;
    std::size_t bom_seen_ = 0;  // bytes of the UTF-8 BOM matched so far at stream start
    bool started_ = false;      // past the BOM check
    bool after_cr_ = false;     // the last byte was a CR (a following LF belongs to it)
    bool failed_ = false;
    bool stopped_ = false;
};

// A streaming GET of an event stream: each event goes to `handler` until it returns
// false, `request.cancel` is set, or the server ends the stream. A non-2xx reply is
// returned with its body (for the caller's error mapping), the handler never called;
// a 2xx reply comes back with an empty body.
Result<HttpResponse> stream_events(HttpClient& client, HttpRequest& request, const SseHandler& handler);

}  // namespace pah::http
