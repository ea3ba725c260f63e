// SPDX-License-Identifier: MIT
#pragma once

// PassAgent password records as the backend keeps them while a vault is open: the
// encrypted parts stay encrypted (parsed GCM boxes and wrapped keys) and are opened
// one entry at a time when a request asks. Pure: no I/O, no locking.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/rsa_oaep.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

enum class RecordKind {
    V2,      // username in clear, encrypted_password under the vault key
    V3,      // wrapped_item_key under the vault key, encrypted_data under the item key
    Shared,  // a received share: item key RSA-OAEP-wrapped to this user, encrypted_data
};

struct EncryptedRecord {
    RecordKind kind = RecordKind::V2;
    // For V3 and Shared the username is filled in by open_username() at sync.
    ItemSummary summary;
    std::optional<GcmBox> encrypted_password;  // V2
    std::optional<GcmBox> wrapped_item_key;    // V3
    Bytes rsa_wrapped_item_key;                // Shared
    std::optional<GcmBox> encrypted_data;      // V3, Shared
    std::string share_status;                  // Shared: "active" | "pending"
};

// An own record of GET /api/passwords. v2 and v3 are told apart by their fields (there
// is no version field). BAD_FORMAT when it is neither.
Result<EncryptedRecord> parse_record(const nlohmann::json& record);

// One entry of GET /api/sharing?type=received. The item's id is the shared entry's id
// (account.id), summary.share holds the share id and permission. Shares that cannot be
// read any more (revoked, expired) or carry no keys are UNSUPPORTED: skip them.
Result<EncryptedRecord> parse_received_share(const nlohmann::json& share);

// What opens a record. `private_key` may be null when the vault has no key pair (then
// shared records cannot be opened).
struct RecordKeys {
    const SecretBuffer* vault_key = nullptr;
    const RsaPrivateKey* private_key = nullptr;
};

// The 32-byte item key of a V3 or Shared record. A key that does not open (travel mode,
// damage) is BAD_FORMAT with a message that says so; never the key in it.
Result<SecretBuffer> open_item_key(const EncryptedRecord& record, const RecordKeys& keys);

// The whole entry, for one request. The password and notes are SecretBuffers; the
// caller drops them (and so wipes them) once the reply is written.
Result<Credential> open_record(const EncryptedRecord& record, const RecordKeys& keys);

// Only the username of a V3 or Shared record (what the summary needs), decrypting into
// `scratch` (grown as needed, wiped after use) so that a sync of thousands of records
// does not allocate locked memory per record. V2 records already have theirs.
Result<std::string> open_username(const EncryptedRecord& record, const RecordKeys& keys, SecretBuffer& scratch);

// The plaintext of encrypted_data: a JSON object {username, password, notes?, urls?}.
// Parsed by hand so that the password and notes go straight into SecretBuffers and never
// through a std::string; unknown fields are skipped. With `username_only`, password and
// notes are not copied out at all.
Result<Credential> parse_item_plaintext(std::string_view text, bool username_only = false);

// The reverse: {"username", "password", "notes"?, "urls"?} as JSON text, written
// straight into a SecretBuffer (for re-encrypting a v2 entry under a new item key).
SecretBuffer item_plaintext_json(const Credential& credential);

}  // namespace pah::passagent
