// SPDX-License-Identifier: MIT
// Nothing secret is left in the host's memory after lock or sign-out (issues 11 and 15):
// the real host against the PassAgent test server signs in, unlocks and opens an own
// entry and a received share; then its test-only action test.memoryScan (built with
// PAH_TEST_HOOKS, see host/src/secure/memory_scan.hpp) counts the copies of the sign-in
// password, the master password, the two entry passwords, a 2FA recovery code it sent and
// the TOTP secret of a 2FA enrollment in its own memory.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/backend_host.hpp"
#include "support/test_server.hpp"

#if PAH_TEST_HOOKS

using nlohmann::json;

namespace {

std::string hex_of(std::string_view text) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        out += kDigits[byte >> 4U];
        out += kDigits[byte & 15U];
    }
    return out;
}

struct Scan {
    std::vector<std::size_t> total;
    std::vector<std::size_t> locked;
    bool openssl_wiping = false;
};

// The needles are sent hex-encoded, so that the request holds no copy of them.
Scan scan(pah::testing::HostDriver& host, const std::vector<std::string>& needles) {
    json hex = json::array();
    for (const auto& needle : needles) {
        hex.push_back(hex_of(needle));
    }
    const json result = host.ok("test.memoryScan", {{"needles", hex}});
    REQUIRE(result["counts"].size() == needles.size());
    Scan out;
    for (const auto& count : result["counts"]) {
        out.total.push_back(count["total"].get<std::size_t>());
        out.locked.push_back(count["locked"].get<std::size_t>());
    }
    out.openssl_wiping = result.value("opensslWiping", false);
    return out;
}

std::string describe(const Scan& s, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out +=
            names[i] + ": " + std::to_string(s.total[i]) + " (" + std::to_string(s.locked[i]) + " locked); ";
    }
    return out;
}

}  // namespace

TEST_CASE("After lock and after sign-out no password the host saw or decrypted is left in its memory",
          "[memory]") {
    std::string why;
    pah::test::TestServer* server = pah::test::TestServer::shared(&why);
    if (server == nullptr) {
        FAIL(why);
    }
    const json& account = server->account();
    const json own = server->fixture("github-work");
    const json received = server->fixture("alice-netflix");
    pah::testing::HostDriver host(json{{"server", server->url()}, {"anonKey", account["anonKey"]}});

    // A recovery code the server does not know: the host builds and sends its body all the same.
    const std::string recovery_code = "7f3e9a1c5b2d8e4f";
    host.ok("session.login",
            {{"backend", "passagent"}, {"email", account["email"]}, {"password", account["password"]}});
    const json enrollment = host.ok("twoFactor.enroll");
    CHECK(host.error("twoFactor.verify", {{"code", recovery_code}}) == "BAD_CREDENTIALS");

    // The last two needles are markers known to be in memory, so that the scan is seen to
    // read where the secrets could be: the caller's origin (argv, on the stack) and the
    // account's email (not a secret: ordinary heap strings, some of them freed).
    const std::vector<std::string> names{"sign-in password",     "master password",
                                         "own entry's password", "received share's password",
                                         "2FA recovery code",    "2FA enrollment's TOTP secret",
                                         "origin marker",        "email marker"};
    const std::vector<std::string> needles{account["password"],
                                           account["masterPassword"],
                                           own["password"],
                                           received["password"],
                                           recovery_code,
                                           enrollment["secret"].get<std::string>(),
                                           pah::testing::kTestOrigin,
                                           account["email"]};
    const std::size_t marker = needles.size() - 2;
    const std::size_t email = needles.size() - 1;
    const auto open_both = [&] {
        for (const json* entry : {&own, &received}) {
            const json got = host.ok("credentials.get", {{"id", (*entry)["id"]}, {"purpose", "view"}});
            REQUIRE(got["password"] == (*entry)["password"]);
        }
    };

    host.unlock_synced({{"masterPassword", account["masterPassword"]}});
    open_both();

    // Unlocked, after both replies were written: a copy may exist only in locked memory.
    const Scan unlocked = scan(host, needles);
    WARN("unlocked: " << describe(unlocked, names));
    // libcurl started OpenSSL at the sign-in: OpenSSL's own blocks (TLS records) are wiped too.
    CHECK(unlocked.openssl_wiping);
    CHECK(unlocked.total[marker] >= 1);
    CHECK(unlocked.total[email] > unlocked.locked[email]);
    for (std::size_t i = 0; i < marker; ++i) {
        INFO(names[i]);
        CHECK(unlocked.total[i] <= unlocked.locked[i]);
    }

    host.ok("vault.lock");
    const Scan locked = scan(host, needles);
    WARN("locked: " << describe(locked, names));
    CHECK(locked.total[marker] >= 1);
    CHECK(locked.total[email] > locked.locked[email]);
    for (std::size_t i = 0; i < marker; ++i) {
        INFO(names[i]);
        CHECK(locked.total[i] == 0);
    }

    // Again, then signed out.
    host.unlock_synced({{"masterPassword", account["masterPassword"]}});
    open_both();
    host.ok("session.logout");
    const Scan signed_out = scan(host, needles);
    WARN("signed out: " << describe(signed_out, names));
    CHECK(signed_out.total[marker] >= 1);
    for (std::size_t i = 0; i < marker; ++i) {
        INFO(names[i]);
        CHECK(signed_out.total[i] == 0);
    }
}

#endif
