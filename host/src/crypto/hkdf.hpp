// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// HKDF-SHA-256 (RFC 5869), extract then expand; out_len 1..8160 bytes.
CryptoResult<SecretBuffer> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info,
                                       std::size_t out_len);

}  // namespace pah
