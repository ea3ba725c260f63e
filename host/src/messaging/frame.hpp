// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace pah {

// Native messaging frames: a 4-byte length in native byte order, then that many bytes.
inline constexpr std::size_t kMaxOutgoingFrame = 1'048'576;  // Chrome's and Firefox's cap
inline constexpr std::size_t kDefaultMaxIncomingFrame = 1'048'576;

// Where frames are read from: a file descriptor, or memory for tests and fuzzing.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Like read(2): bytes read, 0 at end of input, -1 with errno on error.
    virtual ssize_t read_some(void* buf, std::size_t len) = 0;
};

class FdSource final : public ByteSource {
public:
    explicit FdSource(int fd) noexcept : fd_(fd) {}
    ssize_t read_some(void* buf, std::size_t len) override;

private:
    int fd_;
};

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string_view bytes) noexcept : bytes_(bytes) {}
    ssize_t read_some(void* buf, std::size_t len) override;

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

enum class FrameStatus {
    Frame,        // payload holds one frame
    Eof,          // clean end of input between frames
    EofMidFrame,  // input ended inside a header or a payload
    ZeroLength,   // a frame of length 0: refused, stream still in step
    OverCap,      // announced length above the cap: refused; its bytes are skipped by
                  // the next call, after the caller has answered
    IoError,
};

struct FrameReadResult {
    FrameStatus status = FrameStatus::Eof;
    std::string payload;
    std::uint32_t announced = 0;
};

class FrameReader {
public:
    FrameReader(ByteSource& source, std::size_t max_frame) noexcept
        : source_(source), max_frame_(max_frame) {}

    // Reads the next frame. Never allocates more than max_frame bytes: an over-cap
    // frame is reported at once, and its bytes are read and dropped through a fixed
    // buffer on the next call to keep the stream in step (a stray text prefix such as
    // "/hom" reads as ~1.8 GB and so ends at EOF).
    FrameReadResult next();

private:
    // Reads exactly len bytes; returns bytes read (< len only at EOF or on error).
    std::size_t read_full(void* buf, std::size_t len, bool* io_error);

    ByteSource& source_;
    std::size_t max_frame_;
    std::size_t pending_skip_ = 0;
};

// Length prefix + payload, ready to write.
std::string encode_frame(std::string_view payload);

}  // namespace pah
