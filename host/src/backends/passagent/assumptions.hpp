// SPDX-License-Identifier: MIT
#pragma once

// Every PassAgent format this host relies on that neither the seeds nor the public docs
// publish, in one place. docs/passagent-backend.md ("Assumptions") lists them with the
// same numbers (A1 ... A14); the project's test server implements exactly these. When the
// real server says otherwise, change it here (and there). Pure: no I/O, no locking.
//
// Implemented in assumptions.cpp (replies and record layouts) and invite.cpp (A13); the
// plaintext of encrypted_data (A8) is read and written by plaintext.cpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/passagent/records.hpp"
#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

// A1: Supabase Auth is served at `authUrl` (default: the PassAgent origin) under this path.
constexpr std::string_view kAuthPath = "/auth/v1";

// A2: a 2FA-enrolled session that has not verified its code yet gets 401 with one of these
// codes (lower case); the test server says MFA_REQUIRED, Supabase insufficient_aal.
bool is_mfa_required_code(std::string_view lower_code) noexcept;

// A3: an AES-GCM value {iv, ciphertext} may arrive as an object or as the same as a JSON
// string, base64 or base64url; iv 12 bytes, ciphertext with its 16-byte tag.
struct Box {
    std::vector<std::uint8_t> iv;
    std::vector<std::uint8_t> ciphertext;  // tag appended
};
Result<Box> parse_box(const nlohmann::json& value);

// A4: GET /api/vault/salt → {salt: <base64url>, kdf: {algorithm: "argon2id", memoryKiB,
// iterations, parallelism}, verifier?: {iv, ciphertext}}; the Argon2id salt is the
// decoded bytes. Bounds the KDF cost so a hostile server cannot exhaust memory.
struct KdfParams {
    std::uint32_t memory_kib = 65536;
    std::uint32_t iterations = 3;
    std::uint32_t parallelism = 4;
};
struct SaltReply {
    std::vector<std::uint8_t> salt;
    KdfParams kdf;
    std::optional<Box> verifier;
};
Result<SaltReply> parse_salt_reply(std::string_view body);

// A5: the verifier is AES-GCM of this UTF-8 text under the vault key; it tells a wrong
// master password apart from damaged data.
constexpr std::string_view kVerifierText = "passagent-vault-verifier";

// A6: GET /api/vault/keys → {publicKey: <base64 SPKI DER>, encryptedPrivateKey: {iv,
// ciphertext}}: RSA-OAEP-2048 (SHA-256), the private key as PKCS#8 DER under the vault key.
struct KeysReply {
    std::vector<std::uint8_t> public_key_der;  // SPKI
    Box encrypted_private_key;                 // PKCS#8 DER under the vault key
};
Result<KeysReply> parse_keys_reply(std::string_view body);

// A7: an own record of GET /api/passwords is v2 (username in clear + encrypted_password
// under the vault key) or v3 (wrapped_item_key under the vault key + encrypted_data under
// the item key); there is no version field, v3 wins when a record carries both.
// BAD_FORMAT when it is neither.
Result<ParsedRecord> parse_record(const nlohmann::json& record);

// A8: encrypted_data's plaintext is JSON {username, password, notes?, urls?: [..],
// fields?: [{name, value, hidden}]}: see plaintext.hpp.

// A9: a zero-trust TOTP `secretEncrypted` decrypts to the base32 secret as text (RFC 4648,
// possibly lowercase, spaced or unpadded); GET /api/passwords/{id}/totp on an entry
// without TOTP answers 200 {hasTotp: false}. (The rest of the reply is seed 002's.)
struct TotpConfig {
    bool has_totp = false;
    bool zero_trust = false;
    std::optional<Box> secret_encrypted;  // set for zero-trust entries
    std::string algorithm = "SHA1";      // SHA1 | SHA256 | SHA512
    int digits = 6;
    int period = 30;
};
Result<TotpConfig> parse_totp_config(std::string_view body);

// A10: POST /api/sharing/{id}/view answers 200 {success: true} and, like every mutation,
// needs the CSRF token; the CSRF route itself needs no bearer token.
constexpr bool kCsrfRouteNeedsBearer = false;
std::string share_view_path(std::string_view escaped_share_id);

// A11: one entry of GET /api/sharing?type=received: account.wrapped_item_key is base64
// RSA-OAEP-SHA-256 of the item key under this user's public key, account.encrypted_data
// as in v3 (A7, A8). The item's id is the shared entry's id (account.id); summary.share
// holds the share id and permission. Shares that cannot be read any more (revoked,
// expired) or carry no keys are UNSUPPORTED: skip them.
// A14: the share's owner_email (the seed shows only owner_id) is who shared it, kept in
// summary.share->shared_by when it is at most kMaxOwnerEmailBytes (an address's limit,
// RFC 5321) without control characters; otherwise, or without one, it stays empty.
constexpr std::size_t kMaxOwnerEmailBytes = 254;
Result<ParsedRecord> parse_received_share(const nlohmann::json& share);

// A12: GET /api/users/public-key?email= → {publicKey: <base64 SPKI DER>} for a user with
// an account, 404 for someone without one. Returns the DER bytes.
Result<std::vector<std::uint8_t>> parse_public_key_reply(std::string_view body);

// A13: share invites for someone without an account yet:
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
CryptoResult<std::string> wrap_item_key_for_invite(ByteView token, ByteView salt, ByteView item_key);
// Fresh token and salt.
CryptoResult<Invite> make_invite(ByteView item_key);
// Accepts the canonical base64-of-JSON form, and also the bare JSON text.
CryptoResult<SecretBuffer> open_invite(ByteView token, ByteView salt, std::string_view wrapped);

}  // namespace pah::passagent
