// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include "backends/passman/api.hpp"
#include "backends/passman/wire.hpp"

using nlohmann::json;
using pah::ErrorCode;
using namespace pah::passman;

TEST_CASE("Passman vault list: guid, name and challenge are read; unusable entries are left out", "[passman]") {
    const json body = json::array({
        {{"vault_id", 17}, {"guid", "64DDADA1-54A6-4BE6-AA2F-BCB2EC8E8455"}, {"name", "test"},
         {"challenge_password", "eyJpdiI6..."}},
        {{"guid", "B-2"}, {"name", nullptr}, {"challenge_password", nullptr}},
        {{"guid", ""}, {"name", "no guid"}},
        {{"guid", "../etc"}, {"name", "path in guid"}},
        {{"guid", "C-3"}, {"challenge_password", 5}},
        "not an object",
    });

    const auto vaults = parse_vault_list(body.dump());

    REQUIRE(vaults);
    REQUIRE(vaults->size() == 2);
    CHECK((*vaults)[0].guid == "64DDADA1-54A6-4BE6-AA2F-BCB2EC8E8455");
    CHECK((*vaults)[0].name == "test");
    CHECK((*vaults)[0].challenge == "eyJpdiI6...");
    CHECK((*vaults)[1].name.empty());
    CHECK((*vaults)[1].challenge.empty());
}

TEST_CASE("Passman vault list: a reply that is not a JSON array is BAD_FORMAT", "[passman]") {
    for (const char* body : {"", "<html>", "{}", "{\"vaults\": []}", "[", "null"}) {
        INFO(body);
        const auto vaults = parse_vault_list(body);
        REQUIRE_FALSE(vaults);
        CHECK(vaults.error().code == ErrorCode::BadFormat);
    }
}

TEST_CASE("Passman vault: credentials keep their encrypted fields; hidden, trashed and malformed are told apart",
          "[passman]") {
    const json body = {
        {"vault_id", 1},
        {"guid", "V-1"},
        {"name", "Personal"},
        {"credentials",
         json::array({
             {{"credential_id", 1}, {"guid", "C-1"}, {"label", "GitHub"}, {"username", "enc-u"},
              {"email", nullptr}, {"password", "enc-p"}, {"url", "enc-url"}, {"description", "enc-d"},
              {"otp", "enc-otp"}, {"hidden", 0}, {"delete_time", 0}, {"shared_key", nullptr}},
             {{"guid", "C-2"}, {"label", "Test key"}, {"hidden", "1"}},
             {{"guid", "C-3"}, {"label", "Trash"}, {"hidden", false}, {"delete_time", 1484175865}},
             {{"guid", "C-4"}, {"label", "Shared"}, {"shared_key", "enc-share"}, {"hidden", true}},
             {{"guid", "C-5"}, {"label", 7}},
             {{"label", "no guid"}},
             42,
         })},
    };

    const auto vault = parse_vault(body.dump());

    REQUIRE(vault);
    CHECK(vault->guid == "V-1");
    CHECK(vault->name == "Personal");
    CHECK(vault->malformed == 3);
    REQUIRE(vault->credentials.size() == 4);
    const RawCredential& first = vault->credentials[0];
    CHECK(first.guid == "C-1");
    CHECK(first.label == "GitHub");
    CHECK(first.username == "enc-u");
    CHECK(first.email.empty());
    CHECK(first.password == "enc-p");
    CHECK(first.otp == "enc-otp");
    CHECK_FALSE(first.hidden);
    CHECK_FALSE(first.deleted);
    CHECK(vault->credentials[1].hidden);
    CHECK(vault->credentials[2].deleted);
    CHECK(vault->credentials[3].shared_key == "enc-share");
    CHECK(vault->credentials[3].hidden);
}

TEST_CASE("Passman vault: [] is NOT_FOUND (no such vault for this user), other shapes BAD_FORMAT", "[passman]") {
    const auto missing = parse_vault("[]");
    const auto no_guid = parse_vault(R"({"name":"x","credentials":[]})");
    const auto not_array = parse_vault(R"({"guid":"V","credentials":{}})");
    const auto html = parse_vault("<html>");

    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(missing.error().extra["field"] == "vault");
    for (const auto* result : {&no_guid, &not_array, &html}) {
        REQUIRE_FALSE(*result);
        CHECK(result->error().code == ErrorCode::BadFormat);
    }
    const auto empty = parse_vault(R"({"guid":"V","credentials":null})");
    REQUIRE(empty);
    CHECK(empty->credentials.empty());
}

TEST_CASE("Passman statuses map to the protocol's errors", "[passman]") {
    const std::string wait = "120";

    CHECK(passman_status_error(401, nullptr).code == ErrorCode::NotLoggedIn);
    CHECK(passman_status_error(403, nullptr).code == ErrorCode::Forbidden);
    CHECK(passman_status_error(404, nullptr).code == ErrorCode::NotFound);
    const auto limited = passman_status_error(429, &wait);
    CHECK(limited.code == ErrorCode::RateLimited);
    CHECK(limited.extra["retryAfter"] == 120);
    const auto failed = passman_status_error(502, nullptr);
    CHECK(failed.code == ErrorCode::Server);
    CHECK(failed.extra["status"] == 502);
    CHECK(passman_status_error(302, nullptr).code == ErrorCode::BadFormat);
}

TEST_CASE("Passman API: the server address is checked and normalised before anything is sent", "[passman]") {
    const auto plain_remote = PassmanApi::create("http://cloud.example.com", "u", "p");
    const auto colon = PassmanApi::create("https://cloud.example.com", "a:b", "p");
    const auto sub_path = PassmanApi::create("https://Cloud.Example.com/nextcloud/index.php/", "u", "p");
    const auto loopback = PassmanApi::create("http://127.0.0.1:8080/", "u", "p");

    REQUIRE_FALSE(plain_remote);
    CHECK(plain_remote.error().code == ErrorCode::BadRequest);
    CHECK(plain_remote.error().extra["field"] == "server");
    REQUIRE_FALSE(colon);
    CHECK(colon.error().extra["field"] == "username");
    REQUIRE(sub_path);
    CHECK((*sub_path)->server() == "https://cloud.example.com/nextcloud");
    REQUIRE(loopback);
    CHECK((*loopback)->server() == "http://127.0.0.1:8080");
}
