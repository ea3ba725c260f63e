// SPDX-License-Identifier: MIT
// The vault-copy loader over arbitrary bytes. The first byte picks whether the trailing
// BLAKE2b-256 is recomputed first, so that the fuzzer gets past the checksum into the
// parser proper. Whatever parses must write back to exactly the same bytes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <sodium.h>

#include "store/vault_copy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || sodium_init() < 0) {
        return 0;
    }
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) != 0 && bytes.size() >= 32) {
        std::array<unsigned char, 32> h{};
        crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                           bytes.size() - 32, nullptr, 0);
        bytes.replace(bytes.size() - 32, 32, reinterpret_cast<const char*>(h.data()), h.size());
    }
    auto copy = pah::store::parse_vault_copy(bytes);
    if (copy) {
        auto again = pah::store::serialize_vault_copy(*copy);
        if (!again || *again != bytes) {
            __builtin_trap();
        }
    } else if (copy.error().message.empty()) {
        __builtin_trap();
    }
    return 0;
}
