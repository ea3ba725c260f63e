// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "http/sse.hpp"

using pah::http::SseEvent;
using pah::http::SseParser;

namespace {

struct Collected {
    std::vector<SseEvent> events;
    SseParser parser;
    bool feed(std::string_view chunk) {
        return parser.feed(chunk, [this](const SseEvent& e) {
            events.push_back(e);
            return true;
        });
    }
};

std::vector<SseEvent> parse_whole(std::string_view text) {
    Collected c;
    c.feed(text);
    return c.events;
}

// The same stream cut into two pieces at every byte, and fed one byte at a time.
void check_every_split(std::string_view text, const std::vector<SseEvent>& expected) {
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        Collected c;
        c.feed(text.substr(0, cut));
        c.feed(text.substr(cut));
        REQUIRE(c.events.size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            CHECK(c.events[i].type == expected[i].type);
            CHECK(c.events[i].data == expected[i].data);
            CHECK(c.events[i].id == expected[i].id);
        }
    }
    Collected bytes;
    for (const char ch : text) {
        bytes.feed(std::string_view(&ch, 1));
    }
    REQUIRE(bytes.events.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(bytes.events[i].data == expected[i].data);
    }
}

}  // namespace

TEST_CASE("an SSE stream of the session-share kind yields typed JSON events", "[http][sse]") {
    const std::string text =
        ": connected\n\n"
        "event: status\ndata: {\"type\":\"status\",\"status\":\"login_in_progress\"}\n\n"
        "event: complete\ndata: {\"type\":\"complete\",\"status\":\"active\"}\n\n";

    const auto events = parse_whole(text);

    REQUIRE(events.size() == 2);
    CHECK(events[0].type == "status");
    CHECK(events[0].data == "{\"type\":\"status\",\"status\":\"login_in_progress\"}");
    CHECK(events[1].type == "complete");
}

TEST_CASE("SSE multi-line data is joined with newlines and the type defaults to message", "[http][sse]") {
    const auto events = parse_whole("data: one\ndata:two\ndata\n\n");

    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "message");
    CHECK(events[0].data == "one\ntwo\n");
}

TEST_CASE("SSE accepts CR, LF and CRLF line ends alike", "[http][sse]") {
    const std::string lf = "event: a\ndata: x\n\n";
    const std::string cr = "event: a\rdata: x\r\r";
    const std::string crlf = "event: a\r\ndata: x\r\n\r\n";

    for (const auto& text : {lf, cr, crlf}) {
        const auto events = parse_whole(text);
        REQUIRE(events.size() == 1);
        CHECK(events[0].type == "a");
        CHECK(events[0].data == "x");
    }
}

TEST_CASE("SSE drops one leading BOM, keeps ids, reads retry and ignores unknown fields", "[http][sse]") {
    Collected c;

    c.feed("\xEF\xBB\xBFid: 7\nretry: 2500\nfoo: bar\ndata: a\n\nid\ndata: b\n\n");

    REQUIRE(c.events.size() == 2);
    CHECK(c.events[0].id == "7");
    CHECK(c.events[0].data == "a");
    CHECK(c.events[1].id.empty());
    CHECK(c.parser.retry_ms() == 2500);
}

TEST_CASE("SSE ignores an invalid retry and an id holding NUL", "[http][sse]") {
    Collected c;

    c.feed("retry: 12a\nid: x");
    c.feed(std::string_view("\0y\n", 3));
    c.feed("data: d\n\n");

    REQUIRE(c.events.size() == 1);
    CHECK_FALSE(c.parser.retry_ms().has_value());
    CHECK(c.events[0].id.empty());
}

TEST_CASE("SSE drops an event left unfinished when the stream ends and an event with no data", "[http][sse]") {
    const auto events = parse_whole("event: only-type\n\ndata: never finished\n");

    CHECK(events.empty());
}

TEST_CASE("SSE parses identically whatever the chunk boundaries", "[http][sse]") {
    const std::string text =
        "\xEF\xBB\xBF: hi\r\nevent: status\r\ndata: {\"a\":1}\r\n\r\n"
        "id: 42\rdata: line1\rdata: line2\r\r"
        "data:x\n\n";
    std::vector<SseEvent> expected(3);
    expected[0].type = "status";
    expected[0].data = "{\"a\":1}";
    expected[1].data = "line1\nline2";
    expected[1].id = "42";
    expected[2].data = "x";
    expected[2].id = "42";

    check_every_split(text, expected);
}

TEST_CASE("SSE treats a half BOM followed by text as text", "[http][sse]") {
    Collected c;

    c.feed("\xEF");
    c.feed("data: x\n\n");

    REQUIRE(c.events.empty());  // the field name is "\xEF" + "data", not data
    c.feed("data: y\n\n");
    REQUIRE(c.events.size() == 1);
    CHECK(c.events[0].data == "y");
}

TEST_CASE("SSE stops when the handler says so", "[http][sse]") {
    SseParser parser;
    int calls = 0;

    const bool more = parser.feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent&) {
        ++calls;
        return false;
    });

    CHECK_FALSE(more);
    CHECK(calls == 1);
    CHECK(parser.stopped());
}

TEST_CASE("SSE fails on an oversized line instead of growing without bound", "[http][sse]") {
    SseParser parser;
    const std::string big(SseParser::kMaxEventBytes + 1, 'a');

    const bool more = parser.feed("data: " + big, [](const SseEvent&) { return true; });

    CHECK_FALSE(more);
    CHECK(parser.failed());
}
