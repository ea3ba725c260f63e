// SPDX-License-Identifier: MIT
// accounts.json's parser over arbitrary text: whatever it accepts writes back to text
// that parses to the same accounts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz.hpp"
#include "store/account_facts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = pah::fuzz::as_text(data, size);
    auto accounts = pah::store::parse_account_facts(text);
    if (!accounts) {
        return 0;
    }
    auto again = pah::store::parse_account_facts(pah::store::serialize_account_facts(*accounts));
    if (!again || *again != *accounts) {
        __builtin_trap();
    }
    return 0;
}
