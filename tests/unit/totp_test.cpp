// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "totp/otpauth.hpp"
#include "totp/totp.hpp"

using namespace pah;

namespace {

// RFC 6238 Appendix B: the seeds are ASCII digits repeated to the hash's size.
const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 =
    "1234567890123456789012345678901234567890123456789012345678901234";

struct Rfc6238Row {
    std::int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
};

const std::vector<Rfc6238Row> kRfc6238 = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {20000000000, "65353130", "77737706", "47863826"},
};

}  // namespace

TEST_CASE("HOTP matches the RFC 4226 appendix D values", "[totp]") {
    const std::vector<std::string> expected = {"755224", "287082", "359152", "969429", "338314",
                                               "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
        CHECK(hotp(as_bytes(kSeed20), counter, TotpAlgorithm::Sha1, 6) == expected[counter]);
    }
}

TEST_CASE("TOTP matches the RFC 6238 table for SHA-1, SHA-256 and SHA-512", "[totp]") {
    for (const auto& row : kRfc6238) {
        CAPTURE(row.time);
        const TotpParams sha1{TotpAlgorithm::Sha1, 8, 30};
        const TotpParams sha256{TotpAlgorithm::Sha256, 8, 30};
        const TotpParams sha512{TotpAlgorithm::Sha512, 8, 30};
        CHECK(totp_at(as_bytes(kSeed20), sha1, row.time).code == row.sha1);
        CHECK(totp_at(as_bytes(kSeed32), sha256, row.time).code == row.sha256);
        CHECK(totp_at(as_bytes(kSeed64), sha512, row.time).code == row.sha512);
    }
}

TEST_CASE("TOTP reports the seconds left in the current period", "[totp]") {
    const TotpParams params{TotpAlgorithm::Sha1, 6, 30};
    CHECK(totp_at(as_bytes(kSeed20), params, 59).remaining == 1);
    CHECK(totp_at(as_bytes(kSeed20), params, 60).remaining == 30);
    CHECK(totp_at(as_bytes(kSeed20), params, 61).remaining == 29);
    const TotpParams minute{TotpAlgorithm::Sha1, 7, 60};
    const auto code = totp_at(as_bytes(kSeed20), minute, 125);
    CHECK(code.remaining == 55);
    CHECK(code.code.size() == 7);
    // A 60 s period at t=125 is counter 2, the same HOTP value truncated to 7 digits.
    CHECK(code.code == hotp(as_bytes(kSeed20), 2, TotpAlgorithm::Sha1, 7));
}

TEST_CASE("totp_now uses the clock it is given", "[totp]") {
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1111111109));
    const TotpParams params{TotpAlgorithm::Sha1, 8, 30};
    CHECK(totp_now(as_bytes(kSeed20), params, at).code == "07081804");
}

TEST_CASE("an otpauth URI gives the secret, issuer, account and parameters", "[totp][otpauth]") {
    const auto parsed = parse_otpauth(
        "otpauth://totp/ACME%20Co:john.doe%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60&image=x");
    REQUIRE(parsed);
    CHECK(parsed->issuer == "ACME Co");
    CHECK(parsed->account == "john.doe@example.com");
    CHECK(parsed->params.algorithm == TotpAlgorithm::Sha256);
    CHECK(parsed->params.digits == 8);
    CHECK(parsed->params.period_seconds == 60);
    CHECK(parsed->key.view() == kSeed20);
}

TEST_CASE("an otpauth URI without parameters uses SHA1, 6 digits and 30 seconds",
          "[totp][otpauth]") {
    const auto parsed = parse_otpauth("OTPAUTH://TOTP/Example:alice?secret=jbsw%20y3dp ehpk3pxp");
    REQUIRE(parsed);
    CHECK(parsed->issuer == "Example");
    CHECK(parsed->account == "alice");
    CHECK(parsed->params.algorithm == TotpAlgorithm::Sha1);
    CHECK(parsed->params.digits == 6);
    CHECK(parsed->params.period_seconds == 30);
    CHECK(parsed->key.size() == 10);
}

TEST_CASE("bad otpauth URIs are refused with a message that names the problem",
          "[totp][otpauth]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"https://example.com/?secret=JBSWY3DP", "otpauth"},
        {"otpauth://hotp/x?secret=JBSWY3DP&counter=1", "hotp"},
        {"otpauth://motp/x?secret=JBSWY3DP", "type"},
        {"otpauth://totp/x?issuer=y", "no secret"},
        {"otpauth://totp/x?secret=", "empty"},
        {"otpauth://totp/x?secret=JBSWY3DP1", "base32"},
        {"otpauth://totp/x?secret=JBSWY3DP&algorithm=MD5", "algorithm"},
        {"otpauth://totp/x?secret=JBSWY3DP&digits=5", "digits"},
        {"otpauth://totp/x?secret=JBSWY3DP&digits=9", "digits"},
        {"otpauth://totp/x?secret=JBSWY3DP&period=0", "period"},
        {"otpauth://totp/x?secret=JBSWY3DP&period=-30", "period"},
        {"otpauth://totp/x?secret=JBSWY3DP&secret=JBSWY3DP", "twice"},
        {"otpauth://totp/x%zz?secret=JBSWY3DP", "label"},
        {"otpauth://totp/x?secret=JBSWY3DP%", "escape"},
    };
    for (const auto& [uri, word] : cases) {
        CAPTURE(uri);
        const auto parsed = parse_otpauth(uri);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::BadFormat);
        CHECK_THAT(parsed.error().message, Catch::Contains(word));
    }
}

TEST_CASE("TOTP input may be a bare base32 secret or an otpauth URI", "[totp][otpauth]") {
    const auto bare = parse_totp_input("  gezd gnbv gy3t qojq gezd gnbv gy3t qojq\n");
    REQUIRE(bare);
    CHECK(bare->key.view() == kSeed20);
    CHECK(bare->params.digits == 6);
    const auto uri = parse_totp_input("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=7");
    REQUIRE(uri);
    CHECK(uri->params.digits == 7);
    CHECK_FALSE(parse_totp_input(""));
    CHECK_FALSE(parse_totp_input("not base32!"));
}
