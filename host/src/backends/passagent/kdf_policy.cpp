// SPDX-License-Identifier: MIT
#include "backends/passagent/kdf_policy.hpp"

#include <string>

namespace pah::passagent {

using nlohmann::json;

namespace {

std::string describe(const KdfParams& kdf) {
    return std::to_string(kdf.memory_kib) + " KiB and " + std::to_string(kdf.iterations) + " pass(es)";
}

std::uint64_t whole(const json& fact, const char* name) {
    const auto it = fact.find(name);
    return it != fact.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

}  // namespace

Result<void> check_kdf_floor(const KdfParams& kdf) {
    if (kdf.memory_kib < kMinKdfMemoryKib || kdf.iterations < kMinKdfIterations) {
        return fail(
            ErrorCode::WeakKdf,
            "The server asks to derive the vault key with Argon2id " + describe(kdf) +
                ", below the safe minimum of 19 MiB and 2 passes: a copy of your vault would be cheap to "
                "attack. The vault stays locked; tell your administrator.",
            {{"reason", "floor"}});
    }
    return {};
}

Result<void> check_kdf_not_weaker(const KdfParams& kdf, const json& before) {
    if (!before.is_object()) {
        return {};
    }
    const std::uint64_t memory = whole(before, "memoryKiB");
    const std::uint64_t passes = whole(before, "iterations");
    if (kdf.memory_kib < memory || kdf.iterations < passes) {
        return fail(
            ErrorCode::WeakKdf,
            "The server asks to derive the vault key with Argon2id " + describe(kdf) + ", weaker than the " +
                std::to_string(memory) + " KiB and " + std::to_string(passes) +
                " pass(es) this account used before. The vault stays locked; tell your administrator.",
            {{"reason", "downgrade"}});
    }
    return {};
}

json kdf_fact(const KdfParams& kdf) {
    return {{"algorithm", "argon2id"},
            {"memoryKiB", kdf.memory_kib},
            {"iterations", kdf.iterations},
            {"parallelism", kdf.parallelism}};
}

}  // namespace pah::passagent
