// SPDX-License-Identifier: MIT
// credentials.list's cost over a large vault: the search index build for N items, and
// per request (p50/p99) the query over name, username, website and url plus the first
// page's Summary JSON (limit 100), for queries that hit many, few and no entries.
// Prints figures; asserts nothing.
//
//   list_bench [--items N] [--queries N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actions/summary.hpp"
#include "match/item_search.hpp"

using Clock = std::chrono::steady_clock;

namespace {

double micros_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

const char* const kWords[] = {"GitHub", "Google", "Bank", "Mail", "Forum", "Shop", "Cloud", "Router",
                              "Jira", "Wiki", "Bücherei", "VPN", "Admin", "Staging", "Payroll", "Gym"};

std::shared_ptr<pah::ItemList> make_items(std::size_t count, std::mt19937& rng) {
    auto items = std::make_shared<pah::ItemList>();
    items->reserve(count);
    std::uniform_int_distribution<std::size_t> word(0, std::size(kWords) - 1);
    std::uniform_int_distribution<std::size_t> domain(0, count / 3);
    for (std::size_t i = 0; i < count; ++i) {
        pah::ItemSummary s;
        s.id = "pwd_" + std::to_string(100000000 + i);
        s.name = std::string(kWords[word(rng)]) + " " + std::to_string(i);
        s.username = "User" + std::to_string(i) + "@Example.com";
        s.website = "site" + std::to_string(domain(rng)) + ".example.org";
        s.url = "https://" + s.website + "/login";
        s.updated_at = "2026-01-01T00:00:00.000Z";
        items->push_back(std::move(s));
    }
    return items;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t count = 100'000;
    std::size_t queries = 2'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--items") == 0) {
            count = std::strtoul(argv[i + 1], nullptr, 10);
        } else if (std::strcmp(argv[i], "--queries") == 0) {
            queries = std::strtoul(argv[i + 1], nullptr, 10);
        }
    }
    std::mt19937 rng(12);
    auto items = make_items(count, rng);
    auto start = Clock::now();
    const pah::match::ItemSearch search(items);
    const double build_ms = micros_since(start) / 1000.0;

    const char* const kQueries[] = {"github", "USER4242", "site1234.", "bücherei", "no-such-entry", "example",
                                    "mail 9", "login"};
    std::vector<double> samples;
    samples.reserve(queries);
    std::size_t hits_total = 0;
    for (std::size_t q = 0; q < queries; ++q) {
        const char* query = kQueries[q % std::size(kQueries)];
        start = Clock::now();
        const auto hits = search.find(query, 101);
        nlohmann::json page = nlohmann::json::array();
        for (std::size_t i = 0; i < hits.size() && i < 100; ++i) {
            page.push_back(pah::actions::summary_json("passagent:demo@example.com@https://example.com", (*items)[hits[i]]));
        }
        const std::string text = page.dump();
        samples.push_back(micros_since(start));
        hits_total += hits.size() + (text.empty() ? std::size_t{1} : std::size_t{0});
    }
    std::sort(samples.begin(), samples.end());
    std::printf("list_bench: %zu items, index build %.1f ms\n", count, build_ms);
    std::printf("list_bench: query + first page (limit 100) over %zu requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                "(%.0f hits per query on average, at most 101: a page and one more)\n",
                queries, samples[samples.size() / 2] / 1000.0,
                samples[std::min(samples.size() - 1, samples.size() * 99 / 100)] / 1000.0, samples.back() / 1000.0,
                static_cast<double>(hits_total) / static_cast<double>(queries));
    return 0;
}
