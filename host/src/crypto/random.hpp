// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "secure/secret_buffer.hpp"

namespace pah {

// Random bytes from the OS CSPRNG (libsodium's randombytes_buf; sodium_init must
// have run, which harden_process does).
void random_bytes(std::span<std::uint8_t> out) noexcept;
std::vector<std::uint8_t> random_vector(std::size_t size);
SecretBuffer random_secret(std::size_t size);

}  // namespace pah
