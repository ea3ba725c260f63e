// SPDX-License-Identifier: MIT
#include <set>

#include <catch2/catch.hpp>

#include "protocol/envelope.hpp"
#include "protocol/params.hpp"

using namespace pah;
using nlohmann::json;

TEST_CASE("a well-formed request is parsed into id, action and params", "[envelope]") {
    json id;
    auto request = parse_request(R"({"id":"a1","action":"credentials.match","params":{"url":"https://x"}})", &id);
    REQUIRE(request);
    REQUIRE(request->id == "a1");
    REQUIRE(request->action == "credentials.match");
    REQUIRE(request->params.json()["url"] == "https://x");
    REQUIRE(id == "a1");
}

TEST_CASE("params may be left out and default to an empty object", "[envelope]") {
    json id;
    auto request = parse_request(R"({"id":7,"action":"hello"})", &id);
    REQUIRE(request);
    REQUIRE(request->params.json().is_object());
    REQUIRE(request->params.json().empty());
}

TEST_CASE("text that is not JSON, or not an object, is a BAD_FRAME with a null id", "[envelope]") {
    for (const char* text : {"", "{", "not json", "[1,2]", "42", "\"str\"", "null"}) {
        json id = "unchanged";
        auto request = parse_request(text, &id);
        REQUIRE_FALSE(request);
        REQUIRE(request.error().code == ErrorCode::BadFrame);
        REQUIRE(id.is_null());
    }
}

TEST_CASE("a frame nested 100,000 deep is a BAD_FRAME, found while parsing", "[envelope]") {
    const std::string deep = R"({"id":1,"action":"hello","params":{"x":)" + std::string(100'000, '[') +
                             std::string(100'000, ']') + "}}";
    json id;
    auto request = parse_request(deep, &id);
    REQUIRE_FALSE(request);
    CHECK(request.error().code == ErrorCode::BadFrame);
    CHECK(request.error().message.find("128") != std::string::npos);
}

TEST_CASE("nesting up to the limit of 128 levels is read", "[envelope]") {
    // The envelope and params take two levels.
    const std::string nested =
        R"({"id":1,"action":"hello","params":{"x":)" + std::string(126, '[') + std::string(126, ']') + "}}";
    json id;
    REQUIRE(parse_request(nested, &id));
    const std::string over =
        R"({"id":1,"action":"hello","params":{"x":)" + std::string(127, '[') + std::string(127, ']') + "}}";
    REQUIRE_FALSE(parse_request(over, &id));
}

TEST_CASE("secret params go to locked memory and stay out of the JSON", "[envelope]") {
    json id;
    auto request = parse_request(
        R"({"id":1,"action":"session.login","params":{"email":"a@b.c","password":"pw-A","otp":123}})", &id);
    REQUIRE(request);
    const Params& params = request->params;
    CHECK_FALSE(params.json().contains("password"));
    CHECK(params.json()["email"] == "a@b.c");
    auto password = params::required_secret(params, "password");
    REQUIRE(password);
    CHECK((*password)->view() == "pw-A");
    // A secret field of another type stays in the JSON and is refused by name.
    auto otp = params::optional_secret(params, "otp");
    REQUIRE_FALSE(otp);
    CHECK(otp.error().extra["field"] == "otp");
    // Reading a secret as a plain string finds nothing there.
    CHECK_FALSE(params::required_string(params, "password"));
    auto missing = params::required_secret(params, "masterPassword");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "params.masterPassword is required.");
}

TEST_CASE("a request that names a member twice is a BAD_FRAME, secret params included", "[envelope]") {
    for (const char* text :
         {R"({"id":1,"action":"status","action":"hello"})",
          R"({"id":1,"action":"vault.unlock","params":{"masterPassword":"a","masterPassword":"b"}})",
          R"({"id":1,"action":"x","params":{"item":{"k":1,"k":2}}})"}) {
        json id;
        auto request = parse_request(text, &id);
        REQUIRE_FALSE(request);
        CHECK(request.error().code == ErrorCode::BadFrame);
        CHECK(request.error().message == "The message names the same member twice in one object.");
    }
}

TEST_CASE("secret fields nested below params are ordinary JSON", "[envelope]") {
    json id;
    auto request =
        parse_request(R"({"id":1,"action":"x","params":{"item":{"password":"p"}},"password":"q"})", &id);
    REQUIRE(request);
    CHECK(request->params.json()["item"]["password"] == "p");
    CHECK(request->params.secret("password") == nullptr);
}

TEST_CASE("Params made from JSON move the secret strings out", "[envelope]") {
    Params params(json{{"vaultKey", "k"}, {"url", "https://x"}});
    CHECK_FALSE(params.json().contains("vaultKey"));
    REQUIRE(params.secret("vaultKey") != nullptr);
    CHECK(params.secret("vaultKey")->view() == "k");
}

TEST_CASE("a wrong field type is a BAD_REQUEST that names the field", "[envelope]") {
    struct Case {
        const char* text;
        const char* field;
    };
    for (const auto& c : {Case{R"({"id":{},"action":"x"})", "id"},
                          Case{R"({"action":"x"})", "id"},
                          Case{R"({"id":1,"action":5})", "action"},
                          Case{R"({"id":1,"action":""})", "action"},
                          Case{R"({"id":1,"action":"x","params":[1]})", "params"}}) {
        json id;
        auto request = parse_request(c.text, &id);
        REQUIRE_FALSE(request);
        CHECK(request.error().code == ErrorCode::BadRequest);
        CHECK(request.error().extra["field"] == c.field);
        CHECK(request.error().message.find(c.field) != std::string::npos);
    }
}

TEST_CASE("a bad params field keeps the request's id so the error pairs", "[envelope]") {
    json id;
    auto request = parse_request(R"({"id":9,"action":"x","params":"nope"})", &id);
    REQUIRE_FALSE(request);
    REQUIRE(id == 9);
}

TEST_CASE("replies, progress events and pushes have the contract's shapes", "[envelope]") {
    REQUIRE(make_ok(1, {{"a", 1}}) == json{{"id", 1}, {"ok", true}, {"result", {{"a", 1}}}});
    const json error = make_error("x", Error{ErrorCode::RateLimited, "slow down", {{"retryAfter", 30}}});
    REQUIRE(error["ok"] == false);
    REQUIRE(error["error"]["code"] == "RATE_LIMITED");
    REQUIRE(error["error"]["message"] == "slow down");
    REQUIRE(error["error"]["retryAfter"] == 30);
    REQUIRE(make_progress(3, "sync", {{"done", 1}}) ==
            json{{"id", 3}, {"event", "sync"}, {"data", {{"done", 1}}}});
    REQUIRE(make_push("locked", json::object()) ==
            json{{"event", "locked"}, {"data", json::object()}});
}

TEST_CASE("every error code has a distinct upper-case wire name", "[envelope]") {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(ErrorCode::BadFormat); ++i) {
        const auto name = wire_name(static_cast<ErrorCode>(i));
        REQUIRE(names.insert(name).second);
        for (char c : name) {
            REQUIRE(((c >= 'A' && c <= 'Z') || c == '_'));
        }
    }
    REQUIRE(wire_name(ErrorCode::BadFrame) == "BAD_FRAME");
    REQUIRE(wire_name(ErrorCode::Internal) == "INTERNAL");
}

TEST_CASE("invalid UTF-8 from outside data is replaced when serialised, not thrown", "[envelope]") {
    json message = make_ok(1, {{"name", std::string("bad \xff byte")}});
    std::string text;
    REQUIRE_NOTHROW(text = dump_message(message));
    REQUIRE(json::parse(text)["result"]["name"].get<std::string>().find("bad") == 0);
}

TEST_CASE("wipe_json clears every string in a value", "[envelope]") {
    json value = {{"password", "hunter2"}, {"nested", {{"list", {"a", "secret"}}}}};
    std::string& inner = value["password"].get_ref<std::string&>();
    const char* storage = inner.data();
    wipe_json(value);
    REQUIRE(value.is_object());
    REQUIRE(value.empty());
    (void)storage;
}

TEST_CASE("params helpers name the field and the expected type", "[params]") {
    const json p = {{"url", 5}, {"n", "x"}, {"flag", 1}, {"kind", "zzz"}, {"id", 12}};
    auto url = params::required_string(p, "url");
    REQUIRE_FALSE(url);
    REQUIRE(url.error().message == "params.url must be a string.");
    REQUIRE(params::required_string(p, "missing").error().message == "params.missing is required.");
    REQUIRE_FALSE(params::optional_int(p, "n", 0, 10));
    REQUIRE_FALSE(params::optional_bool(p, "flag"));
    auto kind = params::required_enum(p, "kind", {"a", "b"});
    REQUIRE_FALSE(kind);
    REQUIRE(kind.error().message.find("\"a\", \"b\"") != std::string::npos);
    REQUIRE(params::required_id(p, "id").value() == "12");
    REQUIRE_FALSE(params::optional_int(json{{"n", 11}}, "n", 0, 10));
    REQUIRE(params::optional_int(json{{"n", 10}}, "n", 0, 10).value() == 10);
}
