// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include "backends/passagent/kdf_policy.hpp"

using namespace pah;
using namespace pah::passagent;

TEST_CASE("the KDF floor refuses Argon2id below 19 MiB or 2 passes", "[passagent][kdf]") {
    CHECK(check_kdf_floor(KdfParams{19456, 2, 1}));
    CHECK(check_kdf_floor(KdfParams{65536, 3, 4}));
    for (const KdfParams weak : {KdfParams{8192, 1, 1}, KdfParams{19455, 2, 1}, KdfParams{65536, 1, 4}}) {
        const auto refused = check_kdf_floor(weak);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::WeakKdf);
        CHECK(refused.error().extra["reason"] == "floor");
    }
}

TEST_CASE("parameters weaker than the account used before are refused", "[passagent][kdf]") {
    const nlohmann::json before = kdf_fact(KdfParams{65536, 3, 4});
    CHECK(check_kdf_not_weaker(KdfParams{65536, 3, 4}, before));
    CHECK(check_kdf_not_weaker(KdfParams{131072, 4, 1}, before));  // fewer lanes is not weaker here
    CHECK(check_kdf_not_weaker(KdfParams{19456, 2, 1}, nullptr));  // nothing known yet
    for (const KdfParams weaker : {KdfParams{32768, 3, 4}, KdfParams{65536, 2, 4}}) {
        const auto refused = check_kdf_not_weaker(weaker, before);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::WeakKdf);
        CHECK(refused.error().extra["reason"] == "downgrade");
    }
}
