// SPDX-License-Identifier: MIT
#include "messaging/frame.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace pah {

ssize_t FdSource::read_some(void* buf, std::size_t len) {
    for (;;) {
        const ssize_t n = ::read(fd_, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return n;
    }
}

ssize_t MemorySource::read_some(void* buf, std::size_t len) {
    const std::size_t n = std::min(len, bytes_.size() - pos_);
    if (n > 0) {
        std::memcpy(buf, bytes_.data() + pos_, n);
    }
    pos_ += n;
    return static_cast<ssize_t>(n);
}

std::size_t FrameReader::read_full(void* buf, std::size_t len, bool* io_error) {
    auto* out = static_cast<char*>(buf);
    std::size_t got = 0;
    while (got < len) {
        const ssize_t n = source_.read_some(out + got, len - got);
        if (n < 0) {
            *io_error = true;
            return got;
        }
        if (n == 0) {
            return got;
        }
        got += static_cast<std::size_t>(n);
    }
    return got;
}

FrameReadResult FrameReader::next() {
    FrameReadResult result;
    bool io_error = false;
    if (pending_skip_ > 0) {
        // The bytes of a refused over-cap frame: dropped through a fixed buffer. On the
        // heap: 64 KiB on the stack made every call of next() touch 16 stack pages (the
        // stack-clash probes), 11 page faults in each start of the host.
        constexpr std::size_t kSink = std::size_t{64} * 1024;
        const auto sink = std::make_unique_for_overwrite<char[]>(kSink);
        while (pending_skip_ > 0) {
            const std::size_t want = std::min<std::size_t>(pending_skip_, kSink);
            const std::size_t got = read_full(sink.get(), want, &io_error);
            if (io_error) {
                result.status = FrameStatus::IoError;
                return result;
            }
            if (got < want) {
                pending_skip_ = 0;
                result.status = FrameStatus::EofMidFrame;
                return result;
            }
            pending_skip_ -= got;
        }
    }
    std::uint32_t length = 0;
    const std::size_t header = read_full(&length, sizeof length, &io_error);
    if (io_error) {
        result.status = FrameStatus::IoError;
        return result;
    }
    if (header == 0) {
        result.status = FrameStatus::Eof;
        return result;
    }
    if (header < sizeof length) {
        result.status = FrameStatus::EofMidFrame;
        return result;
    }
    result.announced = length;
    if (length == 0) {
        result.status = FrameStatus::ZeroLength;
        return result;
    }
    if (length > max_frame_) {
        // Refused now, so the caller can answer at once; skipped on the next call.
        pending_skip_ = length;
        result.status = FrameStatus::OverCap;
        return result;
    }
    result.payload.resize(length);
    const std::size_t got = read_full(result.payload.data(), length, &io_error);
    if (io_error) {
        result.payload.clear();
        result.status = FrameStatus::IoError;
        return result;
    }
    if (got < length) {
        result.payload.clear();
        result.status = FrameStatus::EofMidFrame;
        return result;
    }
    result.status = FrameStatus::Frame;
    return result;
}

std::string encode_frame(std::string_view payload) {
    const auto length = static_cast<std::uint32_t>(payload.size());
    std::string out(sizeof length + payload.size(), '\0');
    std::memcpy(out.data(), &length, sizeof length);
    if (!payload.empty()) {
        std::memcpy(out.data() + sizeof length, payload.data(), payload.size());
    }
    return out;
}

}  // namespace pah
