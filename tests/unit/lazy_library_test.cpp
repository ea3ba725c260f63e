// SPDX-License-Identifier: MIT
// io::LazyLibrary, the one dlopen-once loader behind libcurl, libcrypto, libpsl and
// libsecret: nothing is opened before the first lookup, a failure names the library (and
// the Debian package) or the missing function, and is reported once.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "io/lazy_library.hpp"

namespace {

int g_reports = 0;
std::string g_last_report;

void count_report(const std::string& why) {
    ++g_reports;
    g_last_report = why;
}

using Strlen = std::size_t (*)(const char*);

}  // namespace

TEST_CASE("a lazy library is opened on its first lookup, not before", "[io][lazy_library]") {
    pah::io::LazyLibrary libc("the C library", "libc.so.6", "libc6");
    CHECK_FALSE(libc.opened());

    auto real_strlen = libc.function<Strlen>("strlen");

    REQUIRE(real_strlen);
    CHECK((*real_strlen)("four") == 4);
    CHECK(libc.opened());
}

TEST_CASE("threads that look up at once all get the function", "[io][lazy_library]") {
    pah::io::LazyLibrary libc("the C library", "libc.so.6", "libc6");
    std::vector<Strlen> found(8, nullptr);
    std::vector<std::thread> threads;

    for (std::size_t i = 0; i < found.size(); ++i) {
        threads.emplace_back([&libc, &found, i] { found[i] = libc.find<Strlen>("strlen"); });
    }
    for (auto& thread : threads) {
        thread.join();
    }

    for (Strlen fn : found) {
        REQUIRE(fn != nullptr);
        CHECK(fn("abc") == 3);
    }
}

TEST_CASE("a library that is not installed is named with its package, and reported once",
          "[io][lazy_library]") {
    g_reports = 0;
    pah::io::LazyLibrary missing("libnothing", "libpah-not-there.so.9", "libpah-nothing9", count_report);

    auto first = missing.function<Strlen>("strlen");
    auto second = missing.function<Strlen>("other");

    REQUIRE_FALSE(first);
    REQUIRE_FALSE(second);
    CHECK(first.error().find(
              "libnothing (libpah-not-there.so.9) could not be loaded; install libpah-nothing9") == 0);
    CHECK(second.error() == first.error());
    CHECK(missing.find<Strlen>("strlen") == nullptr);
    CHECK(g_reports == 1);
    CHECK(g_last_report == first.error());
    CHECK_FALSE(missing.opened());
}

TEST_CASE("a function the library lacks is named with the library", "[io][lazy_library]") {
    g_reports = 0;
    pah::io::LazyLibrary libc("the C library", "libc.so.6", "libc6", count_report);

    auto absent = libc.function<Strlen>("pah_no_such_function");

    REQUIRE_FALSE(absent);
    CHECK(absent.error() == "libc.so.6 lacks pah_no_such_function, which the host needs");
    CHECK(g_reports == 1);
    CHECK(libc.opened());
}
