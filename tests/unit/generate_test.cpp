// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "actions/actions.hpp"
#include "app/services.hpp"
#include "generate/generator.hpp"
#include "generate/wordlist.hpp"
#include "protocol/dispatcher.hpp"

using namespace pah::generate;
using nlohmann::json;

namespace {

std::string make(const Options& options) {
    REQUIRE(sodium_init() >= 0);
    auto generated = generate_password(options);
    REQUIRE(generated.has_value());
    return std::string(generated->password.view());
}

bool has_any(const std::string& text, std::string_view set) {
    return text.find_first_of(set) != std::string::npos;
}

}  // namespace

TEST_CASE("a strong password has the requested length and every class", "[generate]") {
    Options options;
    for (std::size_t length : {8U, 20U, 128U}) {
        options.length = length;
        for (int round = 0; round < 50; ++round) {
            const auto password = make(options);
            CHECK(password.size() == length);
            CHECK(has_any(password, kLower));
            CHECK(has_any(password, kUpper));
            CHECK(has_any(password, kDigits));
            CHECK(has_any(password, kSymbols));
        }
    }
}

TEST_CASE("a strong password uses only the chosen classes", "[generate]") {
    Options options;
    options.upper = false;
    options.symbols = false;
    const auto password = make(options);
    CHECK_FALSE(has_any(password, kUpper));
    CHECK_FALSE(has_any(password, kSymbols));
    CHECK(has_any(password, kLower));
    CHECK(has_any(password, kDigits));
}

TEST_CASE("excluded and ambiguous characters never appear", "[generate]") {
    Options options;
    options.length = 128;
    options.exclude = "abcXYZ#$%";
    options.exclude_ambiguous = true;
    for (int round = 0; round < 50; ++round) {
        const auto password = make(options);
        CHECK_FALSE(has_any(password, options.exclude));
        CHECK_FALSE(has_any(password, kAmbiguous));
    }
}

TEST_CASE("lengths outside 8 to 128 are refused naming the field", "[generate]") {
    Options options;
    for (std::size_t length : {0U, 7U, 129U}) {
        options.length = length;
        const auto result = generate_password(options);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().code == pah::ErrorCode::BadRequest);
        CHECK(result.error().extra["field"] == "length");
    }
}

TEST_CASE("options that leave a class empty or no class at all are refused", "[generate]") {
    Options none;
    none.lower = none.upper = none.digits = none.symbols = false;
    CHECK(generate_password(none).error().code == pah::ErrorCode::Validation);
    Options no_digits;
    no_digits.exclude = "0123456789";
    CHECK(generate_password(no_digits).error().code == pah::ErrorCode::Validation);
}

TEST_CASE("a PIN is digits only, 4 to 12 long", "[generate]") {
    Options options;
    options.preset = Preset::Pin;
    options.length = 4;
    const auto pin = make(options);
    CHECK(pin.size() == 4);
    CHECK(pin.find_first_not_of(kDigits) == std::string::npos);
    options.length = 12;
    CHECK(make(options).size() == 12);
    options.length = 3;
    CHECK_FALSE(generate_password(options).has_value());
    options.length = 13;
    CHECK_FALSE(generate_password(options).has_value());
}

TEST_CASE("a memorable password is list words joined by the separator", "[generate]") {
    const auto list = eff_large_wordlist();
    const std::set<std::string_view> words(list.begin(), list.end());
    Options options;
    options.preset = Preset::Memorable;
    options.words = 4;
    options.separator = "_";
    options.upper = false;
    options.digits = false;
    const auto password = make(options);
    std::size_t count = 0;
    std::size_t start = 0;
    while (start <= password.size()) {
        const auto end = std::min(password.find('_', start), password.size());
        CHECK(words.count(password.substr(start, end - start)) == 1);
        ++count;
        start = end + 1;
    }
    CHECK(count == 4);
}

TEST_CASE("a memorable password capitalises words and adds one digit when asked", "[generate]") {
    Options options;
    options.preset = Preset::Memorable;
    options.words = 5;
    const auto password = make(options);
    CHECK(std::count_if(password.begin(), password.end(),
                        [](char c) { return c >= '0' && c <= '9'; }) == 1);
    CHECK(password[0] >= 'A');
    CHECK(password[0] <= 'Z');
}

TEST_CASE("entropy is reported honestly for each preset", "[generate]") {
    Options strong;
    strong.length = 20;
    strong.exclude_ambiguous = true;
    const auto s = generate_password(strong);
    REQUIRE(s.has_value());
    const double all = 26 + 26 + 10 + 28 - 7;
    CHECK(s->entropy_bits < 20 * std::log2(all) + 1e-9);
    CHECK(s->entropy_bits > 16 * std::log2(all));

    Options pin;
    pin.preset = Preset::Pin;
    pin.length = 6;
    CHECK(generate_password(pin)->entropy_bits == Approx(6 * std::log2(10.0)));

    Options words;
    words.preset = Preset::Memorable;
    words.words = 6;
    words.digits = false;
    CHECK(generate_password(words)->entropy_bits == Approx(6 * std::log2(7776.0)));
}

TEST_CASE("the word list has 7776 distinct words", "[generate]") {
    const auto list = eff_large_wordlist();
    CHECK(list.size() == 7776);
    CHECK(std::set<std::string_view>(list.begin(), list.end()).size() == 7776);
}

TEST_CASE("characters are drawn without visible bias", "[generate]") {
    // 2,000 PINs of 12 digits: each digit should appear about 2,400 times.
    Options options;
    options.preset = Preset::Pin;
    options.length = 12;
    std::map<char, int> counts;
    for (int round = 0; round < 2000; ++round) {
        for (const char c : make(options)) {
            ++counts[c];
        }
    }
    REQUIRE(counts.size() == 10);
    for (const auto& [digit, count] : counts) {
        CAPTURE(digit);
        CHECK(count > 2100);
        CHECK(count < 2700);
    }
}

TEST_CASE("two generated passwords differ", "[generate]") {
    const Options options;
    CHECK(make(options) != make(options));
}

namespace {

pah::Result<json> call_generate(json params) {
    pah::Services services(pah::Config{});
    pah::Dispatcher dispatcher;
    pah::actions::register_passwords(dispatcher, services);
    const auto* spec = dispatcher.find("passwords.generate");
    REQUIRE(spec != nullptr);
    CHECK(spec->sensitive_reply);
    CHECK(spec->run_on == pah::RunOn::Reader);
    const pah::Params request_params(std::move(params));
    pah::RequestContext ctx(json(1), request_params, nullptr);
    return spec->handler(ctx);
}

}  // namespace

TEST_CASE("passwords.generate replies with a password and its entropy", "[generate]") {
    const auto reply = call_generate({{"length", 32}, {"symbols", false}});
    REQUIRE(reply.has_value());
    const auto password = (*reply)["password"].get<std::string>();
    CHECK(password.size() == 32);
    CHECK_FALSE(has_any(password, kSymbols));
    CHECK((*reply)["entropyBits"].get<double>() > 150.0);
}

TEST_CASE("passwords.generate defaults to a strong 20-character password", "[generate]") {
    const auto reply = call_generate(json::object());
    REQUIRE(reply.has_value());
    CHECK((*reply)["password"].get<std::string>().size() == 20);
}

TEST_CASE("passwords.generate takes the memorable and pin presets", "[generate]") {
    const auto words = call_generate({{"preset", "memorable"}, {"words", 3}, {"separator", " "}});
    REQUIRE(words.has_value());
    const auto phrase = (*words)["password"].get<std::string>();
    CHECK(std::count(phrase.begin(), phrase.end(), ' ') == 2);
    const auto pin = call_generate({{"preset", "pin"}});
    REQUIRE(pin.has_value());
    CHECK((*pin)["password"].get<std::string>().size() == 6);
}

TEST_CASE("passwords.generate names the field of a bad param", "[generate]") {
    const std::pair<json, std::string> cases[] = {
        {{{"length", "20"}}, "length"},
        {{{"length", 7}}, "length"},
        {{{"preset", "easy"}}, "preset"},
        {{{"upper", 1}}, "upper"},
        {{{"exclude", 5}}, "exclude"},
        {{{"excludeAmbiguous", "yes"}}, "excludeAmbiguous"},
        {{{"words", 4}}, "words"},
        {{{"preset", "memorable"}, {"length", 20}}, "length"},
        {{{"preset", "memorable"}, {"words", 11}}, "words"},
        {{{"preset", "memorable"}, {"separator", "long"}}, "separator"},
        {{{"preset", "pin"}, {"length", 13}}, "length"},
    };
    for (const auto& [params, field] : cases) {
        CAPTURE(params.dump());
        const auto reply = call_generate(params);
        REQUIRE_FALSE(reply.has_value());
        CHECK(reply.error().code == pah::ErrorCode::BadRequest);
        CHECK(reply.error().extra["field"] == field);
    }
}
