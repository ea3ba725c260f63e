// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// AES-CCM (NIST SP 800-38C) with a 16- or 32-byte key, a 7..13-byte nonce, optional
// AAD and an even tag length 4..16 appended to the ciphertext. The building block of
// sjcl's "ccm" mode (see sjcl.hpp for how sjcl picks the nonce).
constexpr std::size_t kCcmMaxMessage = std::size_t{256} << 20;  // 256 MiB

CryptoResult<SecretBuffer> ccm_open(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView ciphertext_and_tag, std::size_t tag_len);
CryptoResult<Bytes> ccm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext,
                             std::size_t tag_len);

}  // namespace pah
