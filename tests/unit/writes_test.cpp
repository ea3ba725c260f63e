// SPDX-License-Identifier: MIT
// credentials.list's search, and the custom fields of a PassAgent entry's plaintext.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "actions/summary.hpp"
#include "backends/passagent/plaintext.hpp"
#include "match/item_search.hpp"

using namespace pah;

namespace {

std::shared_ptr<ItemList> sample_items() {
    auto items = std::make_shared<ItemList>();
    auto add = [&](std::string id, std::string name, std::string username, std::string website, std::string url) {
        ItemSummary s;
        s.id = std::move(id);
        s.name = std::move(name);
        s.username = std::move(username);
        s.website = std::move(website);
        s.url = std::move(url);
        items->push_back(std::move(s));
    };
    add("1", "GitHub (work)", "demo-work", "github.com", "https://github.com/login");
    add("2", "Bücherei", "Leser", "", "https://xn--bcher-kva.example/");
    add("3", "Mail", "someone@GitHub.io", "mail.example", "");
    add("4", "Router", "admin", "", "http://192.168.1.1/admin");
    return items;
}

}  // namespace

TEST_CASE("the list search finds a query without case over name, username, website and url", "[list]") {
    const match::ItemSearch search(sample_items());
    CHECK(search.find("") == std::vector<std::uint32_t>{0, 1, 2, 3});
    CHECK(search.find("GITHUB") == std::vector<std::uint32_t>{0, 2});  // name and username, each entry once
    CHECK(search.find("bücherei") == std::vector<std::uint32_t>{1});   // non-ASCII bytes as they are
    CHECK(search.find("BÜCHEREI").empty());                            // only ASCII letters fold
    CHECK(search.find("xn--bcher") == std::vector<std::uint32_t>{1});  // the url
    CHECK(search.find("192.168.1.1/ADMIN") == std::vector<std::uint32_t>{3});
    CHECK(search.find("mail.example") == std::vector<std::uint32_t>{2});  // the website
    CHECK(search.find("admin").size() == 1);
    // No hit across two fields or two entries.
    CHECK(search.find("workdemo").empty());
    CHECK(search.find("demo-work\ngithub").empty());
    CHECK(search.find(std::string_view("login\0bü", 9)).empty());
    CHECK(match::ItemSearch(nullptr).find("x").empty());
    CHECK(match::ItemSearch(nullptr).find("").empty());
}

TEST_CASE("a Summary has no password and no score, and says updatedAt", "[list]") {
    ItemSummary item;
    item.id = "7";
    item.name = "n";
    item.url = "https://a.example/";
    item.updated_at = "2026-01-01T00:00:00.000Z";
    item.share = ShareRef{"s", "read"};
    const auto json = actions::summary_json("acct", item);
    CHECK(json["updatedAt"] == "2026-01-01T00:00:00.000Z");
    CHECK(json["website"] == "https://a.example/");
    CHECK(json["share"]["id"] == "s");
    CHECK_FALSE(json.contains("password"));
    CHECK_FALSE(json.contains("score"));
    item.updated_at.clear();
    CHECK(actions::summary_json("acct", item)["updatedAt"].is_null());
}

TEST_CASE("custom fields in an entry's plaintext are written and read back", "[passagent][records]") {
    Credential credential;
    credential.username = "u";
    credential.password = SecretBuffer::copy_of(std::string_view("p"));
    credential.fields.push_back(Field{"PIN \"1\"", SecretBuffer::copy_of(std::string_view("44\n17")), true});
    credential.fields.push_back(Field{"Team", SecretBuffer::copy_of(std::string_view("")), false});
    const SecretBuffer text = passagent::item_plaintext_json(credential);
    const auto parsed = nlohmann::json::parse(text.view(), nullptr, false);
    REQUIRE(parsed.is_object());
    CHECK(parsed["fields"][0] == nlohmann::json{{"name", "PIN \"1\""}, {"value", "44\n17"}, {"hidden", true}});

    auto back = passagent::parse_item_plaintext(text.view());
    REQUIRE(back);
    REQUIRE(back->fields.size() == 2);
    CHECK(back->fields[0].name == "PIN \"1\"");
    CHECK(back->fields[0].value.view() == "44\n17");
    CHECK(back->fields[0].hidden);
    CHECK_FALSE(back->fields[1].hidden);

    // Other writers: unknown keys skipped, nameless fields left out, a broken one refused.
    auto loose = passagent::parse_item_plaintext(
        R"({"fields":[{"value":"x"},{"name":"A","value":"1","hidden":false,"extra":[1,{"b":2}]},3,"s"]})");
    REQUIRE(loose);
    REQUIRE(loose->fields.size() == 1);
    CHECK(loose->fields[0].name == "A");
    CHECK_FALSE(passagent::parse_item_plaintext(R"({"fields":[{"name":"A","value":}]})"));
    CHECK_FALSE(passagent::parse_item_plaintext(R"({"fields":[{"name":"A" "value":"1"}]})"));
    CHECK(passagent::parse_item_plaintext(R"({"fields":[{"name":"A","value":"1"}]})", true)->fields.empty());
}
