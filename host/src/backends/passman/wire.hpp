// SPDX-License-Identifier: MIT
#pragma once

// Passman's extension API replies (apps/passman/api/v2) in checked shapes. Pure: no
// network, no keys. Every encrypted field is kept as the server sent it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"

namespace pah::passman {

// One entry of GET /vaults.
struct VaultInfo {
    std::string guid;
    std::string name;
    std::string challenge;  // challenge_password; empty when the server sent none
};

// One credential of GET /vaults/{guid}, still encrypted.
struct RawCredential {
    std::string guid;
    std::string label;
    bool hidden = false;   // Passman's own vault-key test credential
    bool deleted = false;  // in the trash (delete_time > 0)
    // Encrypted fields as sent; "" for null or absent.
    std::string username;
    std::string email;
    std::string url;
    std::string password;
    std::string description;
    std::string otp;
    std::string custom_fields;  // [{label, value, secret, field_type}], encrypted
    std::string shared_key;  // set for a credential shared with this user
    std::string changed;     // the server's `changed` (seconds), as text
};

struct VaultContents {
    std::string guid;
    std::string name;
    std::vector<RawCredential> credentials;
    std::size_t malformed = 0;  // entries without a guid or with fields of the wrong type
};

// Limits on what a reply may hold (a server cannot make the host allocate without end).
inline constexpr std::size_t kMaxVaults = 1000;
inline constexpr std::size_t kMaxCredentials = 100'000;
inline constexpr std::size_t kMaxGuidBytes = 128;

// GET /vaults: a JSON array of vault objects. Entries without a usable guid are left
// out. BAD_FORMAT for anything that is not such an array.
Result<std::vector<VaultInfo>> parse_vault_list(std::string_view body);

// GET /vaults/{guid}: the vault object with its credentials. Passman answers `[]` for
// a vault the user does not have: NOT_FOUND. BAD_FORMAT for any other shape.
Result<VaultContents> parse_vault(std::string_view body);

}  // namespace pah::passman
