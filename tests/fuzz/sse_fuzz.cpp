// SPDX-License-Identifier: MIT
// The SSE parser over arbitrary bytes: the first byte picks a chunk size, so chunk
// boundaries land everywhere. The events must not depend on the chunking, and no event
// may exceed the parser's cap.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/sse.hpp"

namespace {

struct Run {
    std::vector<std::string> events;
    bool failed = false;
};

Run parse(std::string_view text, std::size_t chunk) {
    Run run;
    pah::http::SseParser parser;
    const pah::http::SseHandler handler = [&](const pah::http::SseEvent& e) {
        if (e.data.size() > pah::http::SseParser::kMaxEventBytes) {
            __builtin_trap();
        }
        run.events.push_back(e.type + '\0' + e.data + '\0' + e.id);
        return true;
    };
    for (std::size_t i = 0; i < text.size(); i += chunk) {
        if (!parser.feed(text.substr(i, chunk), handler)) {
            break;
        }
    }
    run.failed = parser.failed();
    return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t chunk = static_cast<std::size_t>(data[0] % 17) + 1;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const Run whole = parse(text, text.size() + 1);
    const Run pieces = parse(text, chunk);
    if (!whole.failed && !pieces.failed && whole.events != pieces.events) {
        __builtin_trap();
    }
    return 0;
}
