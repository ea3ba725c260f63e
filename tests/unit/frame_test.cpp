// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <catch2/catch.hpp>

#include "io/files.hpp"
#include "messaging/frame.hpp"

using namespace pah;

namespace {

std::string frame_of(std::string_view payload) { return encode_frame(payload); }

std::string raw_length(std::uint32_t length) {
    std::string out(4, '\0');
    std::memcpy(out.data(), &length, 4);
    return out;
}

// Hands out its bytes one at a time, as a slow pipe might.
class TrickleSource final : public ByteSource {
public:
    explicit TrickleSource(std::string bytes) : bytes_(std::move(bytes)) {}
    ssize_t read_some(void* buf, std::size_t len) override {
        if (pos_ >= bytes_.size() || len == 0) {
            return 0;
        }
        static_cast<char*>(buf)[0] = bytes_[pos_++];
        return 1;
    }

private:
    std::string bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

TEST_CASE("a frame round-trips with its length in native byte order", "[frame]") {
    const std::string bytes = frame_of(R"({"id":1,"action":"hello"})");
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data(), 4);
    REQUIRE(length == 25);

    MemorySource source(bytes);
    FrameReader reader(source, 1024);
    auto first = reader.next();
    REQUIRE(first.status == FrameStatus::Frame);
    REQUIRE(first.payload == R"({"id":1,"action":"hello"})");
    REQUIRE(reader.next().status == FrameStatus::Eof);
}

TEST_CASE("frames delivered one byte at a time are reassembled", "[frame]") {
    TrickleSource source(frame_of("abc") + frame_of("defg"));
    FrameReader reader(source, 1024);
    REQUIRE(reader.next().payload == "abc");
    REQUIRE(reader.next().payload == "defg");
    REQUIRE(reader.next().status == FrameStatus::Eof);
}

TEST_CASE("a zero-length frame is refused and the next frame still reads", "[frame]") {
    const std::string bytes = raw_length(0) + frame_of("next");
    MemorySource source(bytes);
    FrameReader reader(source, 1024);
    REQUIRE(reader.next().status == FrameStatus::ZeroLength);
    auto next = reader.next();
    REQUIRE(next.status == FrameStatus::Frame);
    REQUIRE(next.payload == "next");
}

TEST_CASE("an over-cap frame is skipped without allocating and the stream stays in step",
          "[frame]") {
    const std::string big(5000, 'x');
    const std::string bytes = frame_of(big) + frame_of("after");
    MemorySource source(bytes);
    FrameReader reader(source, 4096);
    auto refused = reader.next();
    REQUIRE(refused.status == FrameStatus::OverCap);
    REQUIRE(refused.announced == 5000);
    REQUIRE(refused.payload.capacity() < 4096);
    REQUIRE(reader.next().payload == "after");
}

TEST_CASE("a 4 GiB length is refused and input that ends early is reported, not awaited",
          "[frame]") {
    const std::string bytes = raw_length(0xFFFFFFFFu) + "short";
    MemorySource source(bytes);
    FrameReader reader(source, 1024 * 1024);
    auto result = reader.next();
    REQUIRE(result.status == FrameStatus::OverCap);
    REQUIRE(result.announced == 0xFFFFFFFFu);
    REQUIRE(result.payload.capacity() < 1024);
    REQUIRE(reader.next().status == FrameStatus::EofMidFrame);
}

TEST_CASE("stray text such as a path is read as a huge length and refused", "[frame]") {
    // "/home/user/x" as the first bytes: the length reads as 0x6d6f682f (~1.8 GB).
    const std::string bytes = "/home/user/x\n";
    std::uint32_t announced = 0;
    std::memcpy(&announced, bytes.data(), 4);
    REQUIRE(announced > 1'000'000'000u);

    MemorySource source(bytes);
    FrameReader reader(source, 1024 * 1024);
    auto result = reader.next();
    REQUIRE(result.status == FrameStatus::OverCap);
    REQUIRE(result.payload.empty());
    REQUIRE(reader.next().status == FrameStatus::EofMidFrame);
}

TEST_CASE("end of input inside the header or the payload is EofMidFrame", "[frame]") {
    SECTION("inside the header") {
        MemorySource source(std::string_view("\x05\x00", 2));
        FrameReader reader(source, 1024);
        REQUIRE(reader.next().status == FrameStatus::EofMidFrame);
    }
    SECTION("inside the payload") {
        const std::string bytes = raw_length(10) + "12345";
        MemorySource source(bytes);
        FrameReader reader(source, 1024);
        REQUIRE(reader.next().status == FrameStatus::EofMidFrame);
    }
    SECTION("clean end between frames") {
        MemorySource source(std::string_view{});
        FrameReader reader(source, 1024);
        REQUIRE(reader.next().status == FrameStatus::Eof);
    }
}

TEST_CASE("frames read from a real pipe, and a closed reader makes writes fail with EPIPE",
          "[frame]") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(io::write_all(fds[1], frame_of("over a pipe")));
    ::close(fds[1]);
    FdSource source(fds[0]);
    FrameReader reader(source, 1024);
    REQUIRE(reader.next().payload == "over a pipe");
    REQUIRE(reader.next().status == FrameStatus::Eof);
    ::close(fds[0]);

    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    std::signal(SIGPIPE, SIG_IGN);
    errno = 0;
    REQUIRE_FALSE(io::write_all(fds[1], frame_of("nobody reads this")));
    REQUIRE(errno == EPIPE);
    ::close(fds[1]);
}
