// SPDX-License-Identifier: MIT
#pragma once

// What Argon2id parameters vault.unlock accepts from a server (docs/security.md, "KDF
// floor"): none below the RFC 9106 / OWASP minimum, and none weaker than this account
// unlocked with before (kept per account in store/account_facts; not secret).

#include <cstdint>

#include <nlohmann/json.hpp>

#include "backends/passagent/assumptions.hpp"
#include "protocol/error.hpp"

namespace pah::passagent {

inline constexpr std::uint32_t kMinKdfMemoryKib = 19456;  // 19 MiB
inline constexpr std::uint32_t kMinKdfIterations = 2;

// WEAK_KDF (reason "floor") below the minimum.
Result<void> check_kdf_floor(const KdfParams& kdf);
// WEAK_KDF (reason "downgrade") when `kdf` has less memory or fewer passes than
// `before` (a fact as kdf_fact writes it; null or unreadable: no earlier use known).
Result<void> check_kdf_not_weaker(const KdfParams& kdf, const nlohmann::json& before);
// {"algorithm": "argon2id", "memoryKiB", "iterations", "parallelism"}.
nlohmann::json kdf_fact(const KdfParams& kdf);

}  // namespace pah::passagent
