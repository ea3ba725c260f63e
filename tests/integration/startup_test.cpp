// SPDX-License-Identifier: MIT
// What a start of the real host loads. libsodium, libcrypto, libcurl and libpsl are loaded
// on first use (src/sodium_lazy.cpp, src/crypto/openssl_lazy.cpp, src/http/curl_lazy.cpp,
// src/match/psl_lazy.cpp): the
// browser's `hello` and `status` must answer without any of them in the process. The dynamic loader says what
// it loads: LD_DEBUG=files logs each library (linked or dlopen'd) to stderr.
#include <catch2/catch.hpp>

#include "support/process.hpp"

using nlohmann::json;
using pah::testing::Process;
using pah::testing::TempDir;

namespace {

constexpr const char* kOrigin = "chrome-extension://startuptestoriginaaaaaaaaaaaaaaa/";

bool mentions(const std::string& trace, const std::string& library) {
    return trace.find(library) != std::string::npos;
}

}  // namespace

TEST_CASE("hello and status are answered without libsodium, libcrypto, libcurl or libpsl loaded",
          "[process][startup]") {
    TempDir dir;
    const std::string config =
        dir.write("config.json", std::string(R"({"allowedOrigins": [")") + kOrigin + R"("]})");
    Process host({PAH_HOST_BIN, kOrigin}, {{"PASSAGENT_HOST_CONFIG", config},
                                           {"HOME", dir.path()},
                                           {"XDG_STATE_HOME", dir.path() + "/state"},
                                           {"LD_DEBUG", "files"}});
    REQUIRE(host.send_frame({{"id", 1}, {"action", "hello"}}));
    const auto hello = host.read_frame();
    REQUIRE(hello);
    REQUIRE((*hello)["ok"] == true);
    REQUIRE(host.send_frame({{"id", 2}, {"action", "status"}}));
    const auto status = host.read_frame();
    REQUIRE(status);
    REQUIRE((*status)["ok"] == true);
    host.close_stdin();
    REQUIRE(host.wait() == 0);

    const std::string trace = host.stderr_text();
    INFO(trace);
    // The trace is there (libc is linked and loaded at start)...
    REQUIRE(mentions(trace, "file=libc.so"));
    // ...and names none of the libraries loaded on first use (libsodium: the host's
    // src/sodium_lazy.cpp).
    REQUIRE_FALSE(mentions(trace, "libsodium.so"));
    REQUIRE_FALSE(mentions(trace, "libcrypto.so"));
    REQUIRE_FALSE(mentions(trace, "libssl.so"));
    REQUIRE_FALSE(mentions(trace, "libcurl.so"));
    REQUIRE_FALSE(mentions(trace, "libpsl.so"));
}

TEST_CASE("the first crypto call loads libcrypto and works", "[process][startup]") {
    TempDir dir;
    // RFC 6238's SHA-1 secret in base32; the code itself depends on the clock.
    Process cli({PAH_HOST_BIN, "totp", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
                {{"PASSAGENT_HOST_CONFIG", dir.path() + "/none.json"},
                 {"HOME", dir.path()},
                 {"LD_DEBUG", "files"}});
    const std::string out = cli.read_all_stdout();
    REQUIRE(cli.wait() == 0);
    REQUIRE(out.size() == 7);  // six digits and a newline
    for (std::size_t i = 0; i < 6; ++i) {
        REQUIRE(out[i] >= '0');
        REQUIRE(out[i] <= '9');
    }
    const std::string trace = cli.stderr_text();
    INFO(trace);
    REQUIRE(mentions(trace, "file=libcrypto.so.3"));
    REQUIRE(mentions(trace, "file=libsodium.so"));  // the code's secret is held in sodium_malloc'd memory
    REQUIRE_FALSE(mentions(trace, "libcurl.so"));
}
