// SPDX-License-Identifier: MIT
#include "crypto/random.hpp"

#include <sodium.h>

namespace pah {

void random_bytes(std::span<std::uint8_t> out) noexcept {
    if (!out.empty()) {
        randombytes_buf(out.data(), out.size());
    }
}

std::vector<std::uint8_t> random_vector(std::size_t size) {
    std::vector<std::uint8_t> out(size);
    random_bytes(out);
    return out;
}

SecretBuffer random_secret(std::size_t size) {
    SecretBuffer out(size);
    random_bytes(out.span());
    return out;
}

}  // namespace pah
