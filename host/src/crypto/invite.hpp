// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// PassAgent share invites for someone without an account yet:
//   token (32 random bytes, handed to the user), salt (16 random bytes, the server's
//   invite_token_salt), KEK = HKDF-SHA-256(ikm = token, salt, info "passagent-invite-v1",
//   32 bytes), wrapped_vault_key_invite = base64( JSON text {"iv": b64, "ciphertext": b64} )
//   where the JSON is AES-256-GCM of the 32-byte item key under the KEK.
constexpr std::string_view kInviteInfo = "passagent-invite-v1";
constexpr std::size_t kInviteTokenSize = 32;
constexpr std::size_t kInviteSaltSize = 16;
constexpr std::size_t kItemKeySize = 32;

struct Invite {
    SecretBuffer token;
    Bytes salt;
    std::string wrapped;  // the wrapped_vault_key_invite value
};

CryptoResult<SecretBuffer> invite_kek(ByteView token, ByteView salt);
CryptoResult<std::string> wrap_item_key_for_invite(ByteView token, ByteView salt,
                                                   ByteView item_key);
// Fresh token and salt.
CryptoResult<Invite> make_invite(ByteView item_key);
// Accepts the canonical base64-of-JSON form, and also the bare JSON text.
CryptoResult<SecretBuffer> open_invite(ByteView token, ByteView salt, std::string_view wrapped);

}  // namespace pah
