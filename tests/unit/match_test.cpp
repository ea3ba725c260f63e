// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "match/url.hpp"
#include "match/url_match.hpp"

using pah::ItemList;
using pah::ItemSummary;
using namespace pah::match;

namespace {

ParsedUrl page(std::string_view text) {
    auto url = parse_url(text);
    REQUIRE(url.has_value());
    return *url;
}

ItemSummary item(std::string name, std::string url, std::string website = {}) {
    ItemSummary s;
    s.id = name;
    s.name = std::move(name);
    s.url = std::move(url);
    s.website = std::move(website);
    return s;
}

bool matches(std::string_view page_url, std::string entry_url) {
    return match_score(page(page_url), item("e", std::move(entry_url))).has_value();
}

}  // namespace

TEST_CASE("parse_url lower-cases the host, strips a trailing dot and keeps the path", "[match]") {
    const auto url = page("HTTPS://Accounts.Google.COM./signin/v2?x=1#frag");
    CHECK(url.scheme == "https");
    CHECK(url.host == "accounts.google.com");
    CHECK(url.port == 443);
    CHECK_FALSE(url.explicit_port);
    CHECK(url.path == "/signin/v2");
    CHECK(url.registrable_domain == "google.com");
}

TEST_CASE("parse_url takes the host after the last @, never the userinfo", "[match]") {
    CHECK(page("https://github.com@evil.com/").host == "evil.com");
    CHECK(page("https://user:pa%40ss@github.com:8443/x").host == "github.com");
    CHECK(page("https://a@b@evil.com/").host == "evil.com");
}

TEST_CASE("parse_url treats a backslash as the end of the host", "[match]") {
    CHECK(page("https://evil.com\\@github.com/").host == "evil.com");
}

TEST_CASE("parse_url accepts bare hosts and assumes https", "[match]") {
    const auto bare = page("github.com/login");
    CHECK(bare.scheme == "https");
    CHECK(bare.bare);
    CHECK(bare.host == "github.com");
    CHECK(bare.path == "/login");
    const auto with_port = page("localhost:8080");
    CHECK(with_port.host == "localhost");
    CHECK(with_port.port == 8080);
    CHECK(with_port.explicit_port);
}

TEST_CASE("parse_url keeps only the scheme of non-web URLs", "[match]") {
    for (const char* text : {"about:blank", "javascript:alert(1)", "data:text/html,hi",
                             "file:///etc/passwd", "chrome://settings", "mailto:a@b.com"}) {
        const auto url = parse_url(text);
        REQUIRE(url.has_value());
        CHECK_FALSE(url->is_web());
        CHECK(url->host.empty());
    }
}

TEST_CASE("parse_url rejects text without a valid host", "[match]") {
    for (const char* text : {"", "   ", "https://", "https://:443/", "https://exa mple.com",
                             "https://a..b.com", "https://example.com:99999",
                             "https://example.com:12ab", "https://[::1", "https://[:::]/",
                             "https://1.2.3.4.5/", "https://256.0.0.1/", "https://ex%00ample.com",
                             "https://foo.bar.123/"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_url(text).has_value());
    }
}

TEST_CASE("parse_url normalises IPv4 in every WHATWG number form", "[match]") {
    CHECK(page("http://127.0.0.1/").host == "127.0.0.1");
    CHECK(page("http://0x7f.0.0.1/").host == "127.0.0.1");
    CHECK(page("http://0177.0.0.1/").host == "127.0.0.1");
    CHECK(page("http://2130706433/").host == "127.0.0.1");
    CHECK(page("http://127.1/").host == "127.0.0.1");
    CHECK(page("http://127.1/").is_ip);
    CHECK(page("http://127.1/").registrable_domain.empty());
}

TEST_CASE("parse_url normalises IPv6 literals to RFC 5952 form", "[match]") {
    CHECK(page("http://[::1]:8080/").host == "[::1]");
    CHECK(page("http://[0:0:0:0:0:0:0:1]/").host == "[::1]");
    CHECK(page("http://[2001:DB8:0:0:1:0:0:1]/").host == "[2001:db8::1:0:0:1]");
    CHECK(page("http://[::ffff:192.0.2.1]/").host == "[::ffff:c000:201]");
    CHECK(page("http://[1::]/").host == "[1::]");
    CHECK(page("http://[::]/").host == "[::]");
    CHECK(page("http://[::1]:8080/").port == 8080);
    CHECK(page("http://[::1]/").is_ip);
}

TEST_CASE("parse_url turns internationalised names into punycode A-labels", "[match]") {
    CHECK(page("https://bücher.example/").host == "xn--bcher-kva.example");
    CHECK(page("https://BÜCHER.example/").host == "xn--bcher-kva.example");
    CHECK(page("https://xn--bcher-kva.example/").host == "xn--bcher-kva.example");
    CHECK(page("https://münchen.de/").host == "xn--mnchen-3ya.de");
    CHECK(page("https://пример.рф/").host == "xn--e1afmkfd.xn--p1ai");
    CHECK(page("https://例え.テスト/").host == "xn--r8jz45g.xn--zckzah");
    // NFKC can produce capitals (U+3382 SQUARE MU A is "μA"): the host is still lower case.
    const auto square = page("https://\u3382.example/").host;
    CHECK(square == page(square).host);
    CHECK(square.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
    // Ideographic and full-width full stops separate labels too.
    CHECK(page("https://bücher\xE3\x80\x82" "example/").host == "xn--bcher-kva.example");
}

TEST_CASE("punycode_encode gives the RFC 3492 sample results", "[match]") {
    CHECK(punycode_encode(U"bücher") == "bcher-kva");
    CHECK(punycode_encode(U"ü") == "tda");
    CHECK(punycode_encode(U"他们为什么不说中文") == "ihqwcrb4cv8a8dqg056pqjye");
}

TEST_CASE("the registrable domain comes from the public suffix list", "[match]") {
    CHECK(page("https://www.example.co.uk/").registrable_domain == "example.co.uk");
    CHECK(page("https://user.github.io/").registrable_domain == "user.github.io");
    CHECK(page("https://co.uk/").registrable_domain.empty());
    CHECK(page("https://co.uk/").is_public_suffix);
    CHECK(page("https://github.io/").is_public_suffix);
    CHECK_FALSE(page("http://localhost/").is_public_suffix);
}

TEST_CASE("an entry matches its own host and the hosts below it", "[match]") {
    CHECK(matches("https://github.com/login", "https://github.com"));
    CHECK(matches("https://accounts.google.com/", "https://google.com"));
    CHECK(matches("https://a.b.accounts.google.com/", "google.com"));
}

TEST_CASE("an entry never matches a sibling or its parent", "[match]") {
    CHECK_FALSE(matches("https://mail.google.com/", "https://accounts.google.com"));
    CHECK_FALSE(matches("https://google.com/", "https://accounts.google.com"));
}

TEST_CASE("an entry never matches another registrable domain", "[match]") {
    CHECK_FALSE(matches("https://other.co.uk/", "https://example.co.uk"));
    CHECK_FALSE(matches("https://example.com.evil.com/", "https://example.com"));
    CHECK_FALSE(matches("https://notgithub.com/", "https://github.com"));
    CHECK_FALSE(matches("https://evil.github.io/", "https://user.github.io"));
    CHECK_FALSE(matches("https://github.com@evil.com/", "https://github.com"));
    // amazonaws.com is registrable but s3.amazonaws.com is a suffix: the parent rule stops.
    CHECK_FALSE(matches("https://bucket.s3.amazonaws.com/", "https://amazonaws.com"));
}

TEST_CASE("an entry that is a bare public suffix matches nothing", "[match]") {
    CHECK_FALSE(matches("https://example.co.uk/", "co.uk"));
    CHECK_FALSE(matches("https://co.uk/", "co.uk"));
    CHECK_FALSE(matches("https://user.github.io/", "https://github.io"));
    CHECK_FALSE(matches("https://github.io/", "https://github.io"));
    CHECK_FALSE(matches("https://example.com/", "com"));
}

TEST_CASE("IP literals and localhost match only exactly", "[match]") {
    CHECK(matches("http://127.0.0.1/", "http://127.0.0.1"));
    CHECK(matches("http://127.0.0.1/", "http://0x7f.0.0.1"));
    CHECK_FALSE(matches("http://127.0.0.2/", "http://127.0.0.1"));
    CHECK_FALSE(matches("http://10.1.2.3/", "http://2.3"));
    CHECK(matches("http://[::1]:8080/", "http://[0::1]:8080"));
    CHECK_FALSE(matches("http://[::2]/", "http://[::1]"));
    CHECK(matches("http://localhost:3000/app", "http://localhost:3000"));
    CHECK_FALSE(matches("http://foo.localhost/", "http://localhost"));
    CHECK_FALSE(matches("http://nas/", "http://localhost"));
}

TEST_CASE("ports must agree: an entry without one matches only the default port", "[match]") {
    CHECK_FALSE(matches("http://127.0.0.1:9090/", "http://127.0.0.1:8080"));
    CHECK(matches("http://127.0.0.1:8080/", "http://127.0.0.1:8080"));
    CHECK_FALSE(matches("https://example.com:8443/", "https://example.com"));
    CHECK(matches("https://example.com:8443/", "https://example.com:8443"));
    CHECK_FALSE(matches("https://example.com/", "https://example.com:8443"));
    CHECK(matches("https://example.com/", "https://example.com:443"));
}

TEST_CASE("an https entry never matches an http page, an http entry matches https", "[match]") {
    CHECK_FALSE(matches("http://example.com/", "https://example.com"));
    CHECK_FALSE(matches("http://example.com/", "example.com"));
    CHECK(matches("https://example.com/", "http://example.com"));
}

TEST_CASE("only http and https pages are ever matched", "[match]") {
    for (const char* text : {"file:///home/example.com", "chrome://example.com/",
                             "about:blank", "data:text/html,example.com",
                             "javascript:example.com", "ftp://example.com/"}) {
        CAPTURE(text);
        auto url = parse_url(text);
        REQUIRE(url.has_value());
        CHECK_FALSE(match_score(*url, item("e", "https://example.com")).has_value());
    }
}

TEST_CASE("internationalised names match in either spelling", "[match]") {
    CHECK(matches("https://xn--bcher-kva.example/", "https://bücher.example"));
    CHECK(matches("https://shop.bücher.example/", "xn--bcher-kva.example"));
}

TEST_CASE("an entry's url wins over its website, which is used when url is empty", "[match]") {
    const auto p = page("https://github.com/");
    CHECK(match_score(p, item("a", "", "github.com")).has_value());
    CHECK_FALSE(match_score(p, item("b", "https://gitlab.com", "github.com")).has_value());
    CHECK(match_score(p, item("c", "not a url", "github.com")).has_value());
    CHECK_FALSE(match_score(p, item("d", "", "")).has_value());
}

TEST_CASE("scores put path prefix above same host above closer parent above farther", "[match]") {
    const auto p = page("https://login.accounts.example.com/auth/sign-in");
    const auto path = *match_score(p, item("a", "https://login.accounts.example.com/auth"));
    const auto host = *match_score(p, item("b", "https://login.accounts.example.com/"));
    const auto near_parent = *match_score(p, item("c", "https://accounts.example.com"));
    const auto far_parent = *match_score(p, item("d", "https://example.com/auth"));
    const auto http_host = *match_score(p, item("e", "http://login.accounts.example.com"));
    CHECK(path > host);
    CHECK(host > http_host);
    CHECK(http_host > near_parent);
    CHECK(near_parent > far_parent - kScorePathPrefix - 1);
    CHECK(near_parent > *match_score(p, item("f", "https://example.com")));
}

TEST_CASE("a path bonus needs a segment boundary", "[match]") {
    const auto p = page("https://example.com/administrator");
    const auto plain = *match_score(p, item("a", "https://example.com"));
    CHECK(*match_score(p, item("b", "https://example.com/admin")) == plain);
    CHECK(*match_score(p, item("c", "https://example.com/administrator")) > plain);
}

TEST_CASE("rank lists only matching entries, best first, ties by name", "[match]") {
    auto items = std::make_shared<ItemList>(ItemList{
        item("zeta", "https://github.com"),
        item("parent", "", "google.com"),
        item("alpha", "https://github.com"),
        item("exact", "https://accounts.google.com/signin"),
        item("sibling", "https://mail.google.com"),
        item("other", "https://gitlab.com"),
        item("suffix", "https://com"),
    });
    const MatchIndex index(items);

    const auto google = rank(page("https://accounts.google.com/signin/v2"), index);
    REQUIRE(google.size() == 2);
    CHECK(google[0].item->name == "exact");
    CHECK(google[1].item->name == "parent");
    CHECK(google[0].score > google[1].score);

    const auto github = rank(page("https://github.com/login"), index);
    REQUIRE(github.size() == 2);
    CHECK(github[0].item->name == "alpha");
    CHECK(github[1].item->name == "zeta");
    CHECK(github[1].index == 0);

    CHECK(rank(page("https://example.org/"), index).empty());
    CHECK(rank(page("about:blank"), index).empty());
}

TEST_CASE("rank agrees with match_score for every entry", "[match]") {
    auto items = std::make_shared<ItemList>(ItemList{
        item("1", "https://a.example.com"), item("2", "http://example.com:8080"),
        item("3", "", "b.a.example.com"), item("4", "https://example.com/x"),
        item("5", "http://[::1]"), item("6", "localhost")});
    const MatchIndex index(items);
    for (const char* url : {"https://b.a.example.com/", "http://example.com:8080/",
                            "https://example.com/x/y", "http://[::1]/", "https://localhost/"}) {
        CAPTURE(url);
        const auto p = page(url);
        std::size_t expected = 0;
        for (const auto& it : *items) {
            expected += match_score(p, it).has_value() ? 1U : 0U;
        }
        CHECK(rank(p, index).size() == expected);
        CHECK(expected > 0);
    }
}

TEST_CASE("rank finds exactly the entries match_score accepts, with its scores, over a generated vault",
          "[match]") {
    // Hosts at every depth under a few registrable domains, siblings, IPs, single labels,
    // ports and both schemes: the index looks up only the page's host and its parents,
    // and must still find every entry the full scan would.
    const std::vector<std::string> bases = {"example.com", "example.co.uk", "alice.github.io", "github.io",
                                            "127.0.0.1",   "[::1]",         "localhost",       "corp.example"};
    const std::vector<std::string> subs = {"", "www.", "a.", "b.a.", "c.b.a.", "login.", "x.login."};
    const std::vector<std::string> schemes = {"https://", "http://", ""};
    const std::vector<std::string> ports = {"", ":8443", ":443", ":80"};
    auto items = std::make_shared<ItemList>();
    std::size_t n = 0;
    for (const auto& base : bases) {
        for (const auto& sub : subs) {
            const bool literal = base.front() == '[' || base.front() == '1' || base == "localhost";
            if (literal && !sub.empty()) {
                continue;
            }
            for (const auto& scheme : schemes) {
                const std::string& port = ports[n % ports.size()];
                const std::string path = n % 3 == 0 ? "/login" : n % 3 == 1 ? "/" : "";
                if (n % 4 == 0) {
                    items->push_back(item("w" + std::to_string(n), "", sub + base + port));
                } else {
                    items->push_back(item("u" + std::to_string(n), scheme + sub + base + port + path));
                }
                ++n;
            }
        }
    }
    const MatchIndex index(items);
    std::size_t pages = 0;
    std::size_t found = 0;
    for (const auto& base : bases) {
        for (const auto& sub : subs) {
            for (const char* scheme : {"https://", "http://"}) {
                for (const auto& port : ports) {
                    const auto parsed = parse_url(std::string(scheme) + "deep." + sub + base + port + "/login/x");
                    const auto plain = parse_url(std::string(scheme) + sub + base + port + "/");
                    for (const auto& p : {parsed, plain}) {
                        if (!p || !p->is_web()) {
                            continue;
                        }
                        CAPTURE(p->scheme, p->host, p->port);
                        ++pages;
                        std::map<std::size_t, int> expected;
                        for (std::size_t i = 0; i < items->size(); ++i) {
                            if (const auto score = match_score(*p, (*items)[i])) {
                                expected[i] = *score;
                            }
                        }
                        const auto ranked = index.rank(*p);
                        std::map<std::size_t, int> got;
                        for (std::size_t i = 0; i < ranked.size(); ++i) {
                            got[ranked[i].index] = ranked[i].score;
                            CHECK(ranked[i].item == &(*items)[ranked[i].index]);
                            if (i > 0) {
                                CHECK(ranked[i - 1].score >= ranked[i].score);
                            }
                        }
                        CHECK(got == expected);
                        found += got.size();
                    }
                }
            }
        }
    }
    CHECK(pages > 100);
    CHECK(found > pages);  // the vault is dense enough that most pages have matches
}
