// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include "backends/passwork/api.hpp"
#include "backends/passwork/wire.hpp"

using nlohmann::json;
using pah::ErrorCode;
using namespace pah::passwork;

TEST_CASE("Passwork replies: the response value, or the error that response false means", "[passwork]") {
    const auto ok = parse_reply(R"({"response":{"code":"abc","hash":""},"errorCode":"","errorMessage":""})");
    const auto expired = parse_reply(R"({"response":false,"errorCode":"expired","errorMessage":"Session expired"})");
    const auto ban = parse_reply(R"({"response":false,"errorCode":"ban","errorMessage":"x"})");
    const auto missing = parse_reply(R"({"response":false,"errorCode":"notFound"})");
    const auto other = parse_reply(R"({"response":false,"errorCode":"","errorMessage":"Wrong login or password"})");

    REQUIRE(ok);
    CHECK((*ok)["code"] == "abc");
    CHECK(expired.error().code == ErrorCode::NotLoggedIn);
    CHECK(ban.error().code == ErrorCode::Forbidden);
    CHECK(ban.error().extra["errorCode"] == "ban");
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(other.error().code == ErrorCode::Server);
    CHECK(other.error().message.find("Wrong login or password") != std::string::npos);
    for (const char* body : {"", "<html>", "[]", "{}", "{\"errorCode\":\"x\"}", "{\"response\":"}) {
        INFO(body);
        const auto reply = parse_reply(body);
        REQUIRE_FALSE(reply);
        CHECK(reply.error().code == ErrorCode::BadFormat);
    }
}

TEST_CASE("Passwork openSession: a code and a sha256, md5 or empty hash", "[passwork]") {
    const std::string sha256(64, 'a');
    const std::string md5(32, 'F');

    CHECK(parse_session({{"code", "c"}, {"hash", sha256}})->hash == sha256);
    CHECK(parse_session({{"code", "c"}, {"hash", md5}})->hash == md5);
    CHECK(parse_session({{"code", "c"}, {"hash", nullptr}})->hash.empty());
    CHECK(parse_session({{"code", "c"}})->code == "c");
    for (const json& bad : {json{{"hash", sha256}}, json{{"code", ""}}, json{{"code", 5}},
                            json{{"code", "c"}, {"hash", "xyz"}}, json{{"code", "c"}, {"hash", std::string(64, 'g')}},
                            json{{"code", "c"}, {"hash", std::string(40, 'a')}}, json("c")}) {
        INFO(bad.dump());
        CHECK(parse_session(bad).error().code == ErrorCode::BadFormat);
    }
}

TEST_CASE("Passwork getGroups: vaults with their folder trees flattened, parents first", "[passwork]") {
    const json groups = json::array({
        {{"groupId", "g1"}, {"id", "g1"}, {"name", "Private"}, {"scope", "user"}, {"passwordCrypted", "pc1"},
         {"categories", json::array()}},
        {{"id", "g2"},
         {"name", "Company"},
         {"scope", "domain"},
         {"passwordCrypted", "pc2"},
         {"domainMaster", "dm2"},
         {"categories",
          json::array({{{"id", "f1"},
                        {"name", "Folder"},
                        {"categories", json::array({{{"id", "f2"}, {"name", "Sub"}, {"categories", json::array()}}})}},
                       {{"id", "f3"}, {"name", "Other"}}})}},
        {{"name", "no id"}},
        {{"id", "g3"}, {"passwordCrypted", 7}},
        "junk",
    });

    const auto parsed = parse_groups(groups);

    REQUIRE(parsed);
    REQUIRE(parsed->size() == 2);
    CHECK_FALSE((*parsed)[0].domain);
    CHECK((*parsed)[0].password_crypted == "pc1");
    CHECK((*parsed)[1].domain);
    CHECK((*parsed)[1].domain_master == "dm2");
    CHECK((*parsed)[1].folders == std::vector<std::string>{"f1", "f2", "f3"});
}

TEST_CASE("Passwork getGroups: a folder tree that is too deep is BAD_FORMAT, not a stack overflow", "[passwork]") {
    json folder = {{"id", "leaf"}};
    for (std::size_t i = 0; i < kMaxFolderDepth + 2; ++i) {
        folder = {{"id", "f" + std::to_string(i)}, {"categories", json::array({folder})}};
    }
    const json groups = json::array({{{"id", "g"}, {"categories", json::array({folder})}}});

    const auto parsed = parse_groups(groups);

    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::BadFormat);
    CHECK(parse_groups(json::object()).error().code == ErrorCode::BadFormat);
}

TEST_CASE("Passwork getPasswords: plain name, login and URL, encrypted password and custom fields", "[passwork]") {
    const json list = json::array({
        {{"id", "p1"}, {"name", "GitHub"}, {"login", "octocat"}, {"url", "https://github.com/"},
         {"cryptedPassword", "cp"}, {"groupId", "g1"}, {"attachments", json::array()}, {"tags", json::array()},
         {"custom", json::array({{{"name", "n"}, {"value", "v"}, {"type", "totp"}}})}},
        {{"id", "p2"}, {"name", "No extras"}, {"cryptedPassword", "cp2"}, {"custom", nullptr}},
        {{"id", "p3"}, {"login", 5}},
        {{"id", "p4"}, {"custom", "not a list"}},
        {{"id", "p5"}, {"custom", json::array({{{"name", 1}}})}},
        {{"name", "no id"}},
    });

    const auto parsed = parse_passwords(list);

    REQUIRE(parsed);
    CHECK(parsed->malformed == 4);
    REQUIRE(parsed->passwords.size() == 2);
    const RawPassword& first = parsed->passwords[0];
    CHECK(first.name == "GitHub");
    CHECK(first.login == "octocat");
    CHECK(first.crypted_password == "cp");
    REQUIRE(first.custom.size() == 1);
    CHECK(first.custom[0].type == "totp");
    CHECK(parsed->passwords[1].custom.empty());
    CHECK(parse_passwords(json(false)).error().code == ErrorCode::BadFormat);
}

TEST_CASE("Passwork statuses and addresses", "[passwork]") {
    CHECK(passwork_status_error(500).code == ErrorCode::Server);
    CHECK(passwork_status_error(500).extra["status"] == 500);
    CHECK(passwork_status_error(404).code == ErrorCode::NotFound);
    CHECK(passwork_status_error(429).code == ErrorCode::RateLimited);
    CHECK(passwork_status_error(301).code == ErrorCode::BadFormat);

    const auto remote = PassworkApi::create("http://passwork.example.com", "a@b.c", "p");
    const auto with_api = PassworkApi::create("https://Passwork.Example.com/api3/", "a@b.c", "p");
    const auto no_email = PassworkApi::create("https://passwork.example.com", "", "p");

    REQUIRE_FALSE(remote);
    CHECK(remote.error().extra["field"] == "server");
    REQUIRE(with_api);
    CHECK((*with_api)->server() == "https://passwork.example.com");
    REQUIRE_FALSE(no_email);
    CHECK(no_email.error().extra["field"] == "email");
}
