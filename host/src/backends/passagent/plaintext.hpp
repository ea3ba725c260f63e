// SPDX-License-Identifier: MIT
#pragma once

// The plaintext of a v3 entry's or a received share's encrypted_data (A8 in
// assumptions.hpp): a flat JSON object {username, password, notes?, urls?, fields?}.
// Other users write what a received share holds, so the reader takes nothing on trust.
// Pure: no I/O, no locking.

#include <string_view>

#include "backends/backend.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passagent {

// Parsed by hand so that the password and notes go straight into SecretBuffers and never
// through a std::string; unknown fields are skipped. With `username_only`, password and
// notes are not copied out at all.
Result<Credential> parse_item_plaintext(std::string_view text, bool username_only = false);

// The reverse: {"username", "password", "notes"?, "urls"?, "fields"?} as JSON text,
// written straight into a SecretBuffer (writes, and re-encrypting a v2 entry as v3).
SecretBuffer item_plaintext_json(const Credential& credential);

}  // namespace pah::passagent
