// SPDX-License-Identifier: MIT
// The shared text helpers: JSON string literals written by hand and decoded into
// locked memory, ASCII case, percent coding.
#include <catch2/catch.hpp>

#include <string>

#include "text/ascii.hpp"
#include "text/json_string.hpp"
#include "text/percent.hpp"

using pah::text::json_string_to_secret;

TEST_CASE("JSON string literals decode into secrets exactly", "[text][json]") {
    CHECK(json_string_to_secret(R"( "a\/b\\c\"d\b\f\r\t" )")->view() == "a/b\\c\"d\b\f\r\t");
    CHECK(json_string_to_secret(R"("")")->empty());
    CHECK(json_string_to_secret(R"("caf\u00e9 \u20ac \ud83d\ude00")")->view() ==
          "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    CHECK(json_string_to_secret(R"("\u0000")")->view() == std::string_view("\0", 1));
    CHECK_FALSE(json_string_to_secret(R"("unterminated)"));
    CHECK_FALSE(json_string_to_secret(R"("a"b")"));
    CHECK_FALSE(json_string_to_secret(R"("\x")"));
    CHECK_FALSE(json_string_to_secret(R"("trailing\")"));
    CHECK_FALSE(json_string_to_secret(R"("\ud800")"));
    CHECK_FALSE(json_string_to_secret(R"("\ud800\u0041")"));
    CHECK_FALSE(json_string_to_secret(R"("\udc00\ud800")"));
    CHECK_FALSE(json_string_to_secret("\"tab\there\""));
    CHECK_FALSE(json_string_to_secret("\"\\u12\""));
    CHECK_FALSE(json_string_to_secret("\"\\u12g4\""));
    CHECK_FALSE(json_string_to_secret("'single'"));
}

TEST_CASE("Written JSON string literals read back to the same text", "[text][json]") {
    for (const std::string& text :
         {std::string("plain"), std::string("quote \" and \\ slash"), std::string("controls \x01\x1f\n\r\t"),
          std::string("caf\xc3\xa9"), std::string()}) {
        std::string literal;
        pah::text::append_json_string(literal, text);
        CHECK(literal.size() == pah::text::json_string_size(text));
        const auto back = json_string_to_secret(literal);
        REQUIRE(back);
        CHECK(back->view() == text);
    }
}

TEST_CASE("a JSON object of string members is written escaped into locked memory", "[text][json]") {
    const pah::SecretBuffer body = pah::text::secret_json_object({{"code", "12\"3"}, {"k\\ey", "caf\xc3\xa9\n"}});

    CHECK(body.view() == R"({"code":"12\"3","k\\ey":"café\n"})");
    CHECK(pah::text::secret_json_object({{"code", ""}}).view() == R"({"code":""})");
}
