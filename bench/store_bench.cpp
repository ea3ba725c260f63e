// SPDX-License-Identifier: MIT
// The local vault copy and the request pacer: how long the copy of a vault of N entries
// takes to write (store::VaultCopyWriter, then the atomic file write) and to load back
// (the store's loader handing each record on as views into the file's bytes: the part of
// an unlock from the copy that is neither the key derivation nor the backend making its
// own types), how large the file is; and how long the pacer makes a first sync of N
// entries take at PassAgent's default limits (100 general requests a minute, 100 entries
// a page), on a simulated clock. Prints figures; asserts nothing.
//
//   store_bench [--entries N[,N...]] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <sodium.h>
#include <unistd.h>

#include "bench_util.hpp"
#include "http/request_pacer.hpp"
#include "store/vault_copy.hpp"
#include "support/vault_copy_records.hpp"

using pah::bench::Clock;
using pah::bench::ms_since;
namespace fs = std::filesystem;

namespace {

std::string random_bytes(std::mt19937& rng, std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) {
        c = static_cast<char>(rng() & 0xff);
    }
    return out;
}

// Shaped like a PassAgent v3 record as the server sends it: name, website, url and
// category in clear; the wrapped item key (IV + 32 bytes + tag) and encrypted_data (IV +
// about 160 bytes of JSON + tag) sealed.
// Made before the clock starts (the host writes from its own types, record by record).
pah::testing::OwnedCopy make_copy(std::size_t entries) {
    std::mt19937 rng(42);
    pah::testing::OwnedCopy copy;
    pah::store::VaultCopyHeader& h = copy.header;
    h.backend = "passagent";
    h.account = "passagent:bench@example.org@http://127.0.0.1:1";
    h.server = "http://127.0.0.1:1";
    h.saved_at = 1'780'000'000;
    h.full_listing_at = h.saved_at;
    h.set_meta("salt", random_bytes(rng, 16));
    h.set_meta("kdf", R"({"algorithm":"argon2id","memoryKiB":65536,"iterations":3,"parallelism":4})");
    h.set_meta("verifier", random_bytes(rng, 12 + 24 + 16));
    h.set_meta("encryptedPrivateKey", random_bytes(rng, 12 + 1218 + 16));
    copy.records.reserve(entries);
    for (std::size_t i = 0; i < entries; ++i) {
        pah::testing::OwnedCopyRecord r;
        r.id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
        r.updated_at = "2026-12-06T01:23:45.678Z";
        r.kind = 1;
        const std::string host = "site" + std::to_string(i % 5000) + ".example.com";
        r.fields = {"Entry " + std::to_string(i), host, "https://" + host + "/login", "login",
                    random_bytes(rng, 12), random_bytes(rng, 48), random_bytes(rng, 12),
                    random_bytes(rng, 160 + i % 64)};
        copy.records.push_back(std::move(r));
    }
    h.cursor = copy.records.empty() ? "" : copy.records.back().id;
    return copy;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// A first sync of `entries` at 100 a page, every page sent as soon as the pacer lets
// background paging go; the clock jumps to the next grant instead of sleeping.
double simulated_first_sync_seconds(std::size_t entries) {
    Clock::time_point now{};
    pah::http::RequestPacer pacer(pah::http::passagent_limits(), [&] { return now; });
    const std::size_t requests = 2 + (entries + 99) / 100;  // salt, keys, then the pages
    const Clock::time_point start = now;
    for (std::size_t i = 0; i < requests; ++i) {
        const auto ticket = pacer.enqueue("general", pah::http::Priority::Background);
        while (auto wait = pacer.poll(ticket)) {
            now += *wait;
        }
        now += std::chrono::milliseconds(20);  // the page's own round trip
    }
    return std::chrono::duration<double>(now - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) {
        return 1;
    }
    std::vector<std::size_t> sizes = {20000, 100000};
    int runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--entries") {
            sizes.clear();
            std::string list = argv[i + 1];
            for (std::size_t pos = 0; pos <= list.size();) {
                const std::size_t comma = std::min(list.find(',', pos), list.size());
                sizes.push_back(std::stoul(list.substr(pos, comma - pos)));
                pos = comma + 1;
            }
        } else if (flag == "--runs") {
            runs = std::max(1, std::atoi(argv[i + 1]));
        }
    }
    const fs::path dir = fs::temp_directory_path() / ("pah-store-bench-" + std::to_string(::getpid()));
    pah::store::VaultCopyStore store(dir);

    std::printf("vault copy (PassAgent v3-shaped records), median of %d runs\n", runs);
    std::printf("%10s %12s %12s %12s %16s\n", "entries", "file MiB", "save ms", "load ms", "load entries/s");
    for (const std::size_t n : sizes) {
        const auto copy = make_copy(n);
        std::vector<double> save_ms;
        std::vector<double> load_ms;
        for (int r = 0; r < runs; ++r) {
            auto t0 = Clock::now();
            auto bytes = pah::testing::write_owned_copy(copy);
            if (!bytes || !store.save_bytes(copy.header.account, *bytes)) {
                std::fprintf(stderr, "save failed\n");
                return 1;
            }
            save_ms.push_back(ms_since(t0));
            t0 = Clock::now();
            std::size_t records = 0;
            std::size_t field_bytes = 0;  // touched, so that the views are not optimised away
            auto back = store.load_each(copy.header.account, [&](const pah::store::CopyRecordView& record) {
                ++records;
                for (const std::string_view f : record.fields) {
                    field_bytes += f.size();
                }
            });
            load_ms.push_back(ms_since(t0));
            if (!back || records != n || (n > 0 && field_bytes == 0)) {
                std::fprintf(stderr, "load failed\n");
                return 1;
            }
        }
        const double mib =
            static_cast<double>(fs::file_size(store.path_for(copy.header.account))) / (1 << 20);
        const double load = median(load_ms);
        std::printf("%10zu %12.1f %12.1f %12.1f %16.0f\n", n, mib, median(save_ms), load,
                    static_cast<double>(n) / (load / 1000));
    }
    std::error_code ec;
    fs::remove_all(dir, ec);

    std::printf("\nfirst sync paced at PassAgent's default limits (100 general/min, 10 kept for users,\n"
                "100 entries a page, 20 ms a page), simulated clock\n");
    std::printf("%10s %10s %14s\n", "entries", "requests", "sync seconds");
    for (const std::size_t n : {std::size_t{1000}, std::size_t{20000}, std::size_t{100000}}) {
        std::printf("%10zu %10zu %14.0f\n", n, 2 + (n + 99) / 100, simulated_first_sync_seconds(n));
    }
    return 0;
}
