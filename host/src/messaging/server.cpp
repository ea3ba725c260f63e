// SPDX-License-Identifier: MIT
#include "messaging/server.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

#include "io/files.hpp"
#include "log/log.hpp"
#include "protocol/envelope.hpp"
#include "protocol/execute.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

using nlohmann::json;

namespace {

// nlohmann's serializer writing into locked memory, for a reply that carries secrets:
// the text never sits in a std::string (whose growth would leave freed, unwiped copies).
class LockedOutput final : public nlohmann::detail::output_adapter_protocol<char> {
public:
    // `front` bytes are left free at the start (the frame's length prefix).
    explicit LockedOutput(std::size_t front) : buffer_(front + 4096), size_(front) {}
    void write_character(char c) override {
        reserve(1);
        buffer_.data()[size_++] = static_cast<std::uint8_t>(c);
    }
    void write_characters(const char* s, std::size_t length) override {
        reserve(length);
        std::memcpy(buffer_.data() + size_, s, length);
        size_ += length;
    }
    SecretBuffer take() {
        buffer_.truncate(size_);
        return std::move(buffer_);
    }

private:
    void reserve(std::size_t more) {
        if (size_ + more <= buffer_.size()) {
            return;
        }
        SecretBuffer bigger(std::max(buffer_.size() * 2, size_ + more));
        std::memcpy(bigger.data(), buffer_.data(), size_);
        buffer_ = std::move(bigger);  // the old one is wiped as it is freed
    }

    SecretBuffer buffer_;
    std::size_t size_;
};

// The whole frame (4-byte length, then the JSON) in locked memory. The serializer
// itself lives in locked memory too: its escape buffer holds pieces of the strings.
SecretBuffer encode_locked_frame(const json& message) {
    using Serializer = nlohmann::detail::serializer<json>;
    constexpr std::size_t kPrefix = sizeof(std::uint32_t);
    auto output = std::make_shared<LockedOutput>(kPrefix);
    // sodium_malloc aligns only sizes that are multiples of the alignment.
    constexpr std::size_t kAlign = alignof(std::max_align_t);
    SecretBuffer place((sizeof(Serializer) + kAlign - 1) / kAlign * kAlign);
    auto* serializer = new (place.data()) Serializer(output, ' ', json::error_handler_t::replace);
    try {
        serializer->dump(message, false, false, 0);
    } catch (...) {
        serializer->~Serializer();
        throw;
    }
    serializer->~Serializer();
    SecretBuffer frame = output->take();
    const auto length = static_cast<std::uint32_t>(frame.size() - kPrefix);
    std::memcpy(frame.data(), &length, kPrefix);
    return frame;
}

}  // namespace

bool FrameWriter::send_locked(const json& message) {
    SecretBuffer frame = encode_locked_frame(message);
    if (frame.size() - sizeof(std::uint32_t) > kMaxOutgoingFrame) {
        frame.reset();
        auto id = message.find("id");
        if (id == message.end() || message.contains("event")) {
            log::warn("messaging", "dropped an event over 1 MiB");
            return true;
        }
        return send(
            make_error(*id, Error{ErrorCode::TooLarge,
                                  "The reply is larger than the browser accepts (1 MiB). Ask for less, "
                                  "for example with a filter or a cursor."}),
            false);
    }
    bool ok = false;
    {
        std::lock_guard lock(mu_);
        ok = io::write_all(fd_, frame.view());
    }
    if (!ok && !broken_.exchange(true)) {
        log::info("messaging", "the browser closed its end of the pipe");
    }
    return ok;
}

bool FrameWriter::send(const json& message, bool sensitive) {
    if (broken_.load()) {
        return false;
    }
    if (sensitive) {
        return send_locked(message);
    }
    std::string payload = dump_message(message);
    if (payload.size() > kMaxOutgoingFrame) {
        auto id = message.find("id");
        if (id == message.end() || message.contains("event")) {
            log::warn("messaging", "dropped an event over 1 MiB");
            return true;
        }
        payload = dump_message(
            make_error(*id, Error{ErrorCode::TooLarge,
                                  "The reply is larger than the browser accepts (1 MiB). Ask for less, "
                                  "for example with a filter or a cursor."}));
    }
    std::string frame = encode_frame(payload);
    bool ok = false;
    {
        std::lock_guard lock(mu_);
        ok = io::write_all(fd_, frame);
    }
    if (!ok) {
        if (!broken_.exchange(true)) {
            log::info("messaging", "the browser closed its end of the pipe");
        }
    }
    return ok;
}

MessageServer::MessageServer(int in_fd, int out_fd, const Dispatcher& dispatcher,
                             ServerOptions options)
    : in_fd_(in_fd),
      dispatcher_(dispatcher),
      options_(std::move(options)),
      writer_(out_fd),
      pool_(options_.max_workers) {}

void MessageServer::reply_error(const json& id, ErrorCode code, std::string message) {
    writer_.send(make_error(id, Error{code, std::move(message)}));
}

void MessageServer::reply_internal(const json& id, const std::string& action) noexcept {
    try {
        log::error("messaging", "could not build or write the reply to " + action);
        reply_error(id, ErrorCode::Internal,
                    "The host could not build its reply (out of memory?). It is still running; try again.");
    } catch (...) {
        // Nothing left to say it with: the request goes unanswered, the host serves on.
    }
}

void MessageServer::run() {
    FdSource source(in_fd_);
    FrameReader reader(source, options_.max_incoming_frame);
    for (;;) {
        FrameReadResult frame = reader.next();
        switch (frame.status) {
            case FrameStatus::Frame:
                handle_payload(std::move(frame.payload));
                break;
            case FrameStatus::ZeroLength:
                reply_error(nullptr, ErrorCode::BadFrame, "An empty message (length 0) was refused.");
                break;
            case FrameStatus::OverCap:
                reply_error(nullptr, ErrorCode::BadFrame,
                            "A message of " + std::to_string(frame.announced) +
                                " bytes was refused: the limit is " +
                                std::to_string(options_.max_incoming_frame) + " bytes.");
                break;
            case FrameStatus::EofMidFrame:
                log::warn("messaging", "input ended inside a message");
                return;
            case FrameStatus::IoError:
                log::error("messaging", "could not read from the browser");
                return;
            case FrameStatus::Eof:
                return;
        }
    }
}

void MessageServer::handle_payload(std::string payload) {
    json id;
    Result<Request> parsed = parse_request(payload, &id);
    wipe_string(payload);
    handle_request(std::move(parsed), id);
}

void MessageServer::handle_request(Result<Request> parsed, const json& id) {
    if (!parsed) {
        writer_.send(make_error(id, parsed.error()));
        return;
    }
    auto request = std::make_shared<Request>(std::move(*parsed));
    if (!options_.caller_allowed) {
        request->params.wipe();
        reply_error(request->id, ErrorCode::OriginNotAllowed,
                    "This host does not serve " + options_.refused_caller +
                        ". Add it to allowedOrigins or allowedExtensions in the host's "
                        "config if you trust it.");
        return;
    }
    const ActionSpec* spec = dispatcher_.find(request->action);
    if (spec == nullptr) {
        request->params.wipe();
        reply_error(request->id, ErrorCode::UnknownAction,
                    "Unknown action \"" + request->action +
                        "\". Update the extension and the host to the same version.");
        return;
    }
    if (options_.on_action) {
        options_.on_action(request->action);
    }
    // A request the extension makes by itself (a code ring refreshing) says so with
    // params.background, and does not keep the vault open.
    const json& params = request->params.json();
    const auto background = params.find("background");
    const bool by_person =
        background == params.end() || !background->is_boolean() || !background->get<bool>();
    if (spec->user_activity && by_person && options_.on_user_activity) {
        options_.on_user_activity();
    }
    auto task = [this, spec, request] {
        // execute_request catches what the handler throws; this catches what building
        // or writing the reply throws (bad_alloc while serialising a large one), so no
        // exception ends a worker thread or reaches std::terminate.
        try {
            auto progress = [this, id = request->id](std::string_view event, json data) {
                writer_.send(make_progress(id, event, std::move(data)));
            };
            json reply = execute_request(*spec, *request, progress);
            request->params.wipe();
            struct WipeReply {
                json& reply;
                bool sensitive;
                ~WipeReply() {
                    if (sensitive) {
                        wipe_json(reply);
                    }
                }
            } wipe_reply{reply, spec->sensitive_reply};
            writer_.send(reply, spec->sensitive_reply);
        } catch (...) {
            request->params.wipe();
            reply_internal(request->id, request->action);
        }
    };
    if (spec->run_on == RunOn::Reader) {
        task();
    } else {
        pool_.submit(std::move(task));
    }
}

void MessageServer::push(std::string_view event, json data) {
    writer_.send(make_push(event, std::move(data)));
}

}  // namespace pah
