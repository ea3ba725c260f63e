// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include "backends/passagent/pacing.hpp"

using pah::passagent::pace_category;

TEST_CASE("PassAgent requests count against the limits their routes have", "[pacer][passagent]") {
    CHECK(pace_category("GET", "/passwords?limit=100&cursor=abc") == "general");
    CHECK(pace_category("GET", "/passwords") == "general");
    CHECK(pace_category("GET", "/passwords/abc") == "reveal");
    CHECK(pace_category("GET", "/passwords/abc?x=1") == "reveal");
    CHECK(pace_category("PATCH", "/passwords/abc") == "general");
    CHECK(pace_category("GET", "/passwords/abc/totp") == "general");
    CHECK(pace_category("GET", "/passwords/abc/totp/code") == "reveal");
    CHECK(pace_category("POST", "/sharing") == "shareCreate");
    CHECK(pace_category("GET", "/sharing?type=received") == "sharing");
    CHECK(pace_category("POST", "/sharing/s1/view") == "sharing");
    CHECK(pace_category("POST", "/session-shares") == "sessionShareCreate");
    CHECK(pace_category("GET", "/session-shares/x/status") == "general");
    CHECK(pace_category("POST", "/2fa/enroll") == "twofaEnroll");
    CHECK(pace_category("POST", "/2fa/verify") == "general");
    CHECK(pace_category("GET", "/vault/salt") == "general");
    CHECK(pace_category("GET", "") == "general");
    CHECK(pace_category("GET", "/a/b/c/d/e/f") == "general");
}
