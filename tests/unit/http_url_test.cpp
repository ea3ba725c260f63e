// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include "http/url.hpp"

using pah::ErrorCode;
using namespace pah::http;

TEST_CASE("parse_url splits scheme, host, port, path and query", "[http][url]") {
    const auto parts = parse_url("HTTPS://Example.COM:8443/a/b?x=1");

    REQUIRE(parts.has_value());
    CHECK(parts->scheme == "https");
    CHECK(parts->host == "example.com");
    CHECK(parts->port == "8443");
    CHECK(parts->path == "/a/b");
    CHECK(parts->query == "x=1");
}

TEST_CASE("parse_url reads bracketed IPv6 hosts", "[http][url]") {
    const auto parts = parse_url("http://[::1]:3000/api");

    REQUIRE(parts.has_value());
    CHECK(parts->host == "::1");
    CHECK(parts->port == "3000");
}

TEST_CASE("parse_url refuses URLs with no place in an API call", "[http][url]") {
    const char* bad = GENERATE("ftp://example.com/", "example.com/api", "https://user:pw@example.com/",
                               "https://example.com/#frag", "https:///path", "https://exa mple.com/",
                               "https://example.com:0/", "https://example.com:70000/", "https://example.com:/",
                               "https://[::1/", "https://[zz::1]/", "https://exa\nmple.com/", "https://ex%41mple.com/");

    const auto parts = parse_url(bad);

    REQUIRE_FALSE(parts.has_value());
    CHECK(parts.error().code == ErrorCode::BadRequest);
}

TEST_CASE("loopback hosts are 127.0.0.0/8, ::1 and localhost", "[http][url]") {
    CHECK(is_loopback_host("127.0.0.1"));
    CHECK(is_loopback_host("127.255.3.4"));
    CHECK(is_loopback_host("::1"));
    CHECK(is_loopback_host("[::1]"));
    CHECK(is_loopback_host("::ffff:127.0.0.1"));
    CHECK(is_loopback_host("localhost"));
    CHECK(is_loopback_host("LOCALHOST"));
    CHECK(is_loopback_host("app.localhost"));
    CHECK_FALSE(is_loopback_host("128.0.0.1"));
    CHECK_FALSE(is_loopback_host("10.0.0.1"));
    CHECK_FALSE(is_loopback_host("::2"));
    CHECK_FALSE(is_loopback_host("localhost.example.com"));
    CHECK_FALSE(is_loopback_host("127.0.0.1.example.com"));
    CHECK_FALSE(is_loopback_host(""));
}

TEST_CASE("plain http is allowed only to a loopback host", "[http][url]") {
    CHECK(check_transport("http://127.0.0.1:3000/api").has_value());
    CHECK(check_transport("http://localhost:3000/api").has_value());
    CHECK(check_transport("http://[::1]/").has_value());
    CHECK(check_transport("https://passagent.ai/api").has_value());

    const auto remote = check_transport("http://passagent.ai/api");
    REQUIRE_FALSE(remote.has_value());
    CHECK(remote.error().code == ErrorCode::BadRequest);
    CHECK(remote.error().message.find("https") != std::string::npos);
    CHECK_FALSE(check_transport("http://192.168.1.10/").has_value());
}

TEST_CASE("percent_encode keeps unreserved characters and encodes the rest", "[http][url]") {
    CHECK(percent_encode("abc-._~XYZ019") == "abc-._~XYZ019");
    CHECK(percent_encode("a b/c?d&e=f") == "a%20b%2Fc%3Fd%26e%3Df");
    CHECK(percent_encode("../x") == "..%2Fx");
    CHECK(percent_encode("user+tag@example.com") == "user%2Btag%40example.com");
    CHECK(percent_encode("\xC3\xA9") == "%C3%A9");
}
