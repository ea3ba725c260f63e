// SPDX-License-Identifier: MIT
// The config file on arbitrary bytes: parse_config never throws, and whatever it
// refuses falls back to the defaults with a message.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = pah::fuzz::as_text(data, size);
    const pah::Config config = pah::parse_config(text);
    if (config.max_frame_bytes == 0 || config.auto_lock_minutes < 0) {
        std::abort();
    }
    return 0;
}
