// SPDX-License-Identifier: MIT
// credentials.match's cost over a large vault: MatchIndex build time for N items, and
// page-URL parse + rank() per request (p50/p99) for a mix of hits, parent-domain hits,
// heavy domains and misses. Prints figures; asserts nothing.
//
//   match_bench [--items N] [--queries N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "match/url.hpp"
#include "match/url_match.hpp"

using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double p50_us = 0;
    double p99_us = 0;
    double max_us = 0;
};

Stats stats_of(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return {samples[samples.size() / 2],
            samples[std::min(samples.size() - 1, samples.size() * 99 / 100)], samples.back()};
}

double micros_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

const char* const kSuffixes[] = {".com", ".org", ".net", ".co.uk", ".de", ".io", ".github.io",
                                 ".com.au", ".fr", ".xn--p1ai"};
const char* const kSubdomains[] = {"", "www.", "accounts.", "login.", "mail.", "app.",
                                   "auth.eu.", "admin."};
const char* const kPaths[] = {"", "/", "/login", "/signin/v2", "/account/settings", "/admin"};

// A vault shaped like real ones: a few domains with many entries, a long tail of one or
// two, some IPs, localhost ports and bare websites.
std::shared_ptr<pah::ItemList> make_items(std::size_t count, std::mt19937& rng) {
    auto items = std::make_shared<pah::ItemList>();
    items->reserve(count);
    std::uniform_int_distribution<std::size_t> heavy(0, 19);
    std::uniform_int_distribution<std::size_t> tail(0, count / 2);
    std::uniform_int_distribution<int> pick(0, 99);
    for (std::size_t i = 0; i < count; ++i) {
        pah::ItemSummary s;
        s.id = std::to_string(i);
        s.name = "entry " + std::to_string(i);
        s.username = "user" + std::to_string(i) + "@example.com";
        const int kind = pick(rng);
        const std::size_t domain = kind < 30 ? heavy(rng) : tail(rng);
        const std::string host = std::string(kSubdomains[rng() % std::size(kSubdomains)]) +
                                 "site" + std::to_string(domain) +
                                 kSuffixes[domain % std::size(kSuffixes)];
        if (kind < 3) {
            s.url = "http://192.168." + std::to_string(rng() % 256) + "." +
                    std::to_string(rng() % 256) + "/";
        } else if (kind < 5) {
            s.url = "http://localhost:" + std::to_string(3000 + rng() % 100);
        } else if (kind < 25) {
            s.website = host;  // bare website only
        } else {
            s.url = "https://" + host + kPaths[rng() % std::size(kPaths)];
        }
        items->push_back(std::move(s));
    }
    return items;
}

std::vector<std::string> make_pages(std::size_t count, std::size_t items, std::mt19937& rng) {
    std::vector<std::string> pages;
    std::uniform_int_distribution<int> pick(0, 99);
    for (std::size_t i = 0; i < count; ++i) {
        const int kind = pick(rng);
        const std::size_t domain = kind < 40 ? rng() % 20 : rng() % (items / 2 + items);
        const std::string host = std::string(kSubdomains[rng() % std::size(kSubdomains)]) +
                                 "site" + std::to_string(domain) +
                                 kSuffixes[domain % std::size(kSuffixes)];
        if (kind < 3) {
            pages.push_back("http://localhost:" + std::to_string(3000 + rng() % 100) + "/");
        } else {
            pages.push_back("https://deep.sub." + host + "/signin/v2/identifier?hl=en&flow=x");
        }
    }
    return pages;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t item_count = 10000;
    std::size_t query_count = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const auto value = static_cast<std::size_t>(std::strtoull(argv[i + 1], nullptr, 10));
        if (flag == "--items") {
            item_count = std::max<std::size_t>(value, 1);
        } else if (flag == "--queries") {
            query_count = std::max<std::size_t>(value, 1);
        }
    }
    std::mt19937 rng(42);
    const auto items = make_items(item_count, rng);
    const auto pages = make_pages(query_count, item_count, rng);

    // Warm the public suffix list so it is not counted in the first build.
    (void)pah::match::parse_url("https://warm.example.com/");

    std::vector<double> builds;
    std::unique_ptr<pah::match::MatchIndex> index;
    for (int round = 0; round < 5; ++round) {
        const auto start = Clock::now();
        index = std::make_unique<pah::match::MatchIndex>(items);
        builds.push_back(micros_since(start));
    }
    const auto build = stats_of(builds);
    std::printf("index build, %zu items: p50 %.2f ms, max %.2f ms; index heap %.0f KiB (%.1f bytes an entry, "
                "besides the shared item list)\n",
                item_count, build.p50_us / 1000.0, build.max_us / 1000.0,
                static_cast<double>(index->heap_bytes()) / 1024.0,
                static_cast<double>(index->heap_bytes()) / static_cast<double>(item_count));

    std::vector<double> samples;
    samples.reserve(pages.size());
    std::size_t hits = 0;
    std::size_t matches = 0;
    for (const auto& url : pages) {
        const auto start = Clock::now();
        const auto page = pah::match::parse_url(url);
        const auto ranked = page ? index->rank(*page) : std::vector<pah::match::ScoredItem>{};
        samples.push_back(micros_since(start));
        hits += ranked.empty() ? 0U : 1U;
        matches += ranked.size();
    }
    const auto q = stats_of(samples);
    std::printf("parse + rank, %zu pages (%zu with matches, %.1f matches on average): "
                "p50 %.2f us, p99 %.2f us, max %.2f us\n",
                pages.size(), hits,
                hits == 0 ? 0.0 : static_cast<double>(matches) / static_cast<double>(hits),
                q.p50_us, q.p99_us, q.max_us);
    return 0;
}
