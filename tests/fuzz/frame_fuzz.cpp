// SPDX-License-Identifier: MIT
// The frame reader over arbitrary bytes: never more than the cap allocated, never a crash,
// always progress to the end of input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "messaging/frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pah::MemorySource source(std::string_view(reinterpret_cast<const char*>(data), size));
    pah::FrameReader reader(source, 4096);
    for (int i = 0; i < 100000; ++i) {
        const pah::FrameReadResult frame = reader.next();
        if (frame.payload.size() > 4096) {
            __builtin_trap();
        }
        if (frame.status == pah::FrameStatus::Eof || frame.status == pah::FrameStatus::EofMidFrame ||
            frame.status == pah::FrameStatus::IoError) {
            return 0;
        }
    }
    __builtin_trap();  // no progress: a reader that loops forever
}
