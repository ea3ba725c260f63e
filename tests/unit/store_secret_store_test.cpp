// SPDX-License-Identifier: MIT
// The Secret Service through libsecret. Tests tagged [keyring] need a real one: ctest's
// "keyring" test runs them inside dbus-run-session with a fresh gnome-keyring-daemon
// (tests/support/with-keyring.sh); the "no-secret-service" test runs the
// [no-secret-service] ones on a private bus that can start no service; both tags are
// hidden, so the "unit" test leaves them out.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <sodium.h>
#include <unistd.h>

#include "store/secret_store.hpp"

using pah::ErrorCode;
using pah::SecretBuffer;

namespace {

// Sets (or, with nullopt, unsets) an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name)) {
            old_ = old;
        }
        if (value) {
            ::setenv(name, value->c_str(), 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~ScopedEnv() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// What `passagent-host doctor` prints, with `env_prefix` before the command.
std::string doctor_output(const std::string& env_prefix) {
    const std::string home = std::filesystem::temp_directory_path() / ("pah-doctor-" + std::to_string(::getpid()));
    const std::string command = env_prefix + " HOME='" + home + "' '" PAH_BINARY_DIR "/host/passagent-host' doctor --user --browser chromium 2>&1";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        std::array<char, 4096> buffer{};
        while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
            out.append(buffer.data(), n);
        }
        ::pclose(pipe);
    }
    std::error_code ec;
    std::filesystem::remove_all(home, ec);
    return out;
}

}  // namespace

TEST_CASE("doctor says when no Secret Service can be reached, and why", "[store][secret]") {
    const std::string out = doctor_output("env -i PATH=/usr/bin:/bin");
    CHECK_THAT(out, Catch::Contains("secret service: not reachable: "));
    CHECK_THAT(out, Catch::Contains("no D-Bus session bus"));
}

TEST_CASE("doctor says when a Secret Service is reachable", "[.keyring][keyring]") {
    CHECK_THAT(doctor_output("env"), Catch::Contains("secret service: reachable (remembered sign-in works)"));
}

TEST_CASE("without a D-Bus session bus the secret store says so and does not wait", "[store][secret]") {
    REQUIRE(sodium_init() >= 0);
    const ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", std::nullopt);
    const ScopedEnv runtime("XDG_RUNTIME_DIR", std::nullopt);
    auto store = pah::store::make_libsecret_store();

    auto probe = store->probe();
    REQUIRE_FALSE(probe);
    CHECK(probe.error().code == ErrorCode::Unsupported);
    CHECK_THAT(probe.error().message, Catch::Contains("no D-Bus session bus"));

    auto stored = store->store("acct", "label", SecretBuffer::copy_of(std::string_view("token")));
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == ErrorCode::Unsupported);
    auto found = store->lookup("acct");
    REQUIRE_FALSE(found);
    CHECK(found.error().code == ErrorCode::Unsupported);
}

TEST_CASE("a Secret Service stores, finds, replaces and forgets a secret per account", "[.keyring][keyring]") {
    REQUIRE(sodium_init() >= 0);
    auto store = pah::store::make_libsecret_store();
    REQUIRE(store->probe());

    const std::string a = "passagent:alice@example.org@http://127.0.0.1:1";
    const std::string b = "passman:bob@http://127.0.0.1:2";
    REQUIRE(store->store(a, "PassAgent sign-in for alice", SecretBuffer::copy_of(std::string_view("refresh-1"))));
    REQUIRE(store->store(b, "Passman sign-in for bob", SecretBuffer::copy_of(std::string_view("nc-password"))));

    auto found = store->lookup(a);
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->view() == "refresh-1");

    REQUIRE(store->store(a, "PassAgent sign-in for alice", SecretBuffer::copy_of(std::string_view("refresh-2"))));
    found = store->lookup(a);
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->view() == "refresh-2");

    REQUIRE(store->clear(a));
    found = store->lookup(a);
    REQUIRE(found);
    CHECK_FALSE(found->has_value());
    CHECK(store->clear(a));  // nothing left to clear is fine

    auto other = store->lookup(b);
    REQUIRE(other);
    REQUIRE(other->has_value());
    CHECK((*other)->view() == "nc-password");
    REQUIRE(store->clear(b));
}

TEST_CASE("a secret with a NUL byte is refused before it reaches the keyring", "[.keyring][keyring]") {
    auto store = pah::store::make_libsecret_store();
    auto r = store->store("acct", "label", SecretBuffer::copy_of(std::string_view("a\0b", 3)));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BadRequest);
}

TEST_CASE("a session bus without a Secret Service is UNSUPPORTED with the bus's reason", "[.no-secret-service][no-secret-service]") {
    auto store = pah::store::make_libsecret_store(std::chrono::seconds(3));
    auto probe = store->probe();
    REQUIRE_FALSE(probe);
    CHECK(probe.error().code == ErrorCode::Unsupported);
    CHECK_THAT(probe.error().message, Catch::Contains("Secret Service cannot be used"));
    CHECK_THAT(probe.error().message, Catch::Contains("org.freedesktop.secrets"));
    auto stored = store->store("acct", "label", SecretBuffer::copy_of(std::string_view("token")));
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == ErrorCode::Unsupported);
}
