// SPDX-License-Identifier: MIT
#include "http/sse.hpp"

#include <array>

namespace pah::http {

namespace {

constexpr std::array<char, 3> kBom{'\xEF', '\xBB', '\xBF'};

}  // namespace

bool SseParser::feed(std::string_view chunk, const SseHandler& handler) {
    if (failed_ || stopped_) {
        return false;
    }
    std::size_t i = 0;
    // A BOM may only open the stream, and may arrive split over several chunks.
    while (!started_ && i < chunk.size()) {
        if (chunk[i] == kBom.at(bom_seen_)) {
            ++bom_seen_;
            ++i;
            if (bom_seen_ == kBom.size()) {
                started_ = true;
            }
            continue;
        }
        // Not a BOM: the bytes matched so far were text after all.
        started_ = true;
        line_.append(kBom.data(), bom_seen_);
    }
    while (i < chunk.size() && !failed_ && !stopped_) {
        const char c = chunk[i];
        if (after_cr_) {
            after_cr_ = false;
            if (c == '\n') {
                ++i;
                continue;
            }
        }
        if (c == '\r' || c == '\n') {
            after_cr_ = c == '\r';
            line(line_, handler);
            line_.clear();
            ++i;
            continue;
        }
        // Copy the run up to the next line end in one go.
        std::size_t end = chunk.find_first_of("\r\n", i);
        if (end == std::string_view::npos) {
            end = chunk.size();
        }
        if (line_.size() + (end - i) > kMaxEventBytes) {
            failed_ = true;
            break;
        }
        line_.append(chunk.substr(i, end - i));
        i = end;
    }
    return !failed_ && !stopped_;
}

void SseParser::line(std::string_view text, const SseHandler& handler) {
    if (text.empty()) {
        dispatch(handler);
        return;
    }
    if (text.front() == ':') {
        return;  // a comment (keep-alive)
    }
    std::string_view field = text;
    std::string_view value;
    if (const auto colon = text.find(':'); colon != std::string_view::npos) {
        field = text.substr(0, colon);
        value = text.substr(colon + 1);
        if (value.starts_with(' ')) {
            value.remove_prefix(1);
        }
    }
    if (field == "event") {
        type_.assign(value);
    } else if (field == "data") {
        if (data_.size() + value.size() + 1 > kMaxEventBytes) {
            failed_ = true;
            return;
        }
        data_.append(value);
        data_.push_back('\n');
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) {
            last_id_.assign(value);
        }
    } else if (field == "retry") {
        if (!value.empty() && value.size() <= 12 &&
            value.find_first_not_of("0123456789") == std::string_view::npos) {
            std::int64_t ms = 0;
            for (const char c : value) {
                ms = ms * 10 + (c - '0');
            }
            retry_ms_ = ms;
        }
    }
    // Any other field is ignored.
}

void SseParser::dispatch(const SseHandler& handler) {
    if (data_.empty()) {
        type_.clear();
        return;
    }
    SseEvent event;
    data_.pop_back();  // the last '\n'
    event.data = std::move(data_);
    event.type = type_.empty() ? std::string("message") : std::move(type_);
    event.id = last_id_;
    data_.clear();
    type_.clear();
    if (handler && !handler(event)) {
        stopped_ = true;
    }
}

Result<HttpResponse> stream_events(HttpClient& client, HttpRequest& request, const SseHandler& handler) {
    SseParser parser;
    bool has_accept = false;
    for (const auto& h : request.headers) {
        if (h.size() >= 7 && (h.starts_with("Accept:") || h.starts_with("accept:"))) {
            has_accept = true;
        }
    }
    if (!has_accept) {
        request.headers.emplace_back("Accept: text/event-stream");
    }
    request.headers.emplace_back("Cache-Control: no-cache");
    auto response = client.stream(request, [&](std::string_view chunk) { return parser.feed(chunk, handler); });
    if (!response) {
        return response;
    }
    if (parser.failed()) {
        return fail(ErrorCode::Server, "The server sent an event stream with an oversized event.");
    }
    return response;
}

}  // namespace pah::http
