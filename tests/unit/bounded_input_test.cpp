// SPDX-License-Identifier: MIT
// JSON from outside is bounded while it is parsed, and wiping a value never recurses:
// a document nested 100,000 deep (200 KB) is refused, not a stack overflow.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "secure/wipe.hpp"
#include "text/json_reader.hpp"

using nlohmann::json;
using namespace pah;

namespace {

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("parse_json refuses nesting past 128 levels and accepts 128", "[bounded]") {
    CHECK(text::parse_json(nested_arrays(128)).is_array());
    CHECK(text::parse_json(nested_arrays(129)).is_discarded());
    CHECK(text::read_json(nested_arrays(129), text::kOutsideJsonLimits).fault == text::JsonFault::TooDeep);
    CHECK(text::parse_json(nested_arrays(100'000)).is_discarded());
    CHECK(text::parse_json("{\"a\":" + nested_arrays(100'000) + "}").is_discarded());
}

TEST_CASE("parse_json refuses more values than its limit", "[bounded]") {
    std::string many = "[";
    for (int i = 0; i < 100; ++i) {
        many += "1,";
    }
    many += "1]";
    CHECK(text::parse_json(many).is_array());
    CHECK(
        text::parse_json(many, {.max_depth = 128, .max_string_bytes = 16, .max_values = 50}).is_discarded());
    CHECK(text::parse_json("\"" + std::string(32, 'x') + "\"",
                           {.max_depth = 8, .max_string_bytes = 16, .max_values = 50})
              .is_discarded());
}

TEST_CASE("unique_keys refuses an object that names a member twice, taken members included", "[bounded]") {
    const text::JsonLimits unique{.unique_keys = true};
    CHECK(text::read_json(R"({"a":1,"a":2})", unique).fault == text::JsonFault::DuplicateKey);
    CHECK(text::read_json(R"({"a":1,"b":{"c":1,"c":[]}})", unique).fault == text::JsonFault::DuplicateKey);
    // The same name in other objects, nested or side by side, is no repeat.
    const text::JsonRead apart =
        text::read_json(R"({"a":{"a":1},"b":[{"a":1},{"a":2}],"c":{"a":3}})", unique);
    REQUIRE(apart.fault == text::JsonFault::None);
    CHECK(apart.value["b"][1]["a"] == 2);
    // Without it the last one wins, as nlohmann and JSON.parse read it.
    CHECK(text::read_json(R"({"a":1,"a":2})").value["a"] == 2);

    // A member the tap took is left out of the document but still counts; the repeat is
    // refused before the tap sees its value.
    int taps = 0;
    const text::StringTap tap = [&taps](std::span<const std::string> path, std::string_view) {
        ++taps;
        return path.back() == "secret";
    };
    const text::JsonRead twice = text::read_json(R"({"secret":"x","other":1,"secret":"y"})", unique, tap);
    CHECK(twice.fault == text::JsonFault::DuplicateKey);
    CHECK(taps == 1);
    taps = 0;
    const text::JsonRead nested =
        text::read_json(R"({"o":{"secret":"x"},"secret":"y","p":{"secret":"z"}})", unique, tap);
    REQUIRE(nested.fault == text::JsonFault::None);
    CHECK(taps == 3);
    CHECK_FALSE(nested.value.contains("secret"));
}

TEST_CASE("wipe_json clears strings at any depth without recursing", "[bounded]") {
    // Arrange: 100,000 nested arrays with a secret string at the bottom (built by hand:
    // no parser would accept it).
    json object = {{"top", "secret on top"}};
    json* at = &object["deep"];
    *at = json::array();
    for (int i = 0; i < 100'000; ++i) {
        at->push_back(json::array());
        at = &at->back();
    }
    at->push_back("secret at the bottom");
    const std::string* deep_string = &at->back().get_ref<const std::string&>();
    json shallow = json::array({"x", json::array({"y"})});

    // Act
    wipe_json(shallow);
    wipe_json(object["deep"]);  // an array: its nodes stay, so the string can be looked at
    const bool deep_wiped = deep_string->empty();
    wipe_json(object);

    // Assert
    CHECK(shallow[0].get<std::string>().empty());
    CHECK(shallow[1][0].get<std::string>().empty());
    CHECK(deep_wiped);
    CHECK(object.empty());
}
