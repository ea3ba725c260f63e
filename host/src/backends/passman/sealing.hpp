// SPDX-License-Identifier: MIT
#pragma once

// What Passman's web client encrypts, made the same way: each value JSON-encoded
// (JSON.stringify), then sjcl-encrypted under the vault or share key with a fresh salt
// and IV. The JSON text of a secret is built in memory wiped before it is freed.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "crypto/encoding.hpp"
#include "protocol/error.hpp"

namespace pah::passman {

// `plaintext_json` sealed as it is.
Result<std::string> seal(ByteView key, ByteView plaintext_json);
// A string value: sealed as its JSON string literal.
Result<std::string> seal_string(ByteView key, std::string_view text);
// Protocol fields as Passman's custom_fields [{label, value, secret, field_type}].
Result<std::string> seal_fields(ByteView key, const std::vector<Field>& fields);
// Fills `body`'s encrypted fields (username, url, password, description, custom_fields)
// and its clear label from `draft`: only the fields the draft sets.
Result<void> seal_draft(ByteView key, const ItemDraft& draft, nlohmann::json& body);

}  // namespace pah::passman
