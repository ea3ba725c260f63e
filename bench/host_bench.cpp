// SPDX-License-Identifier: MIT
// Messaging cost of the host against the floor (bench/echo_floor.c, a minimal C program
// doing the same framing): cold start (spawn → hello reply → exit) and warm round trips
// of `status` over an open pipe. Prints figures; asserts nothing.
//
//   host_bench [--cold N] [--warm N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "support/process.hpp"

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using pah::testing::Process;
using pah::testing::TempDir;

namespace {

constexpr const char* kOrigin = "chrome-extension://benchbenchbenchbenchbenchbenchaa/";

struct Stats {
    double p50_us = 0;
    double p99_us = 0;
    double mean_us = 0;
};

Stats stats_of(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    Stats s;
    s.p50_us = samples[samples.size() / 2];
    s.p99_us = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
    s.mean_us = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
    return s;
}

double micros(Clock::duration d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

std::vector<double> cold_runs(const std::vector<std::string>& argv,
                              const std::map<std::string, std::string>& env, int runs) {
    std::vector<double> samples;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        Process p(argv, env);
        p.send_frame({{"id", 1}, {"action", "hello"}});
        auto reply = p.read_frame();
        p.close_stdin();
        p.wait();
        const auto end = Clock::now();
        if (!reply) {
            std::fprintf(stderr, "no reply from %s\n", argv[0].c_str());
            std::exit(1);
        }
        samples.push_back(micros(end - start));
    }
    return samples;
}

std::vector<double> warm_runs(const std::vector<std::string>& argv,
                              const std::map<std::string, std::string>& env, int runs,
                              double* seconds) {
    Process p(argv, env);
    std::vector<double> samples;
    samples.reserve(static_cast<std::size_t>(runs));
    const auto begin = Clock::now();
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        p.send_frame({{"id", i}, {"action", "status"}});
        auto reply = p.read_frame();
        samples.push_back(micros(Clock::now() - start));
        if (!reply) {
            std::fprintf(stderr, "no reply from %s\n", argv[0].c_str());
            std::exit(1);
        }
    }
    *seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    p.close_stdin();
    p.wait();
    return samples;
}

void row(const char* what, const Stats& s, double per_second = 0) {
    std::printf("  %-22s p50 %9.1f us   p99 %9.1f us   mean %9.1f us", what, s.p50_us, s.p99_us,
                s.mean_us);
    if (per_second > 0) {
        std::printf("   %9.0f msg/s", per_second);
    }
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    int cold = 200;
    int warm = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--cold") {
            cold = std::atoi(argv[i + 1]);
        } else if (flag == "--warm") {
            warm = std::atoi(argv[i + 1]);
        }
    }
    TempDir dir;
    const std::string config = dir.write("config.json", std::string(R"({"allowedOrigins":[")") + kOrigin + "\"]}");
    const std::map<std::string, std::string> env = {{"PASSAGENT_HOST_CONFIG", config},
                                                    {"HOME", dir.path()}};
    const std::vector<std::string> host = {PAH_HOST_BIN, kOrigin};
    const std::vector<std::string> floor = {PAH_ECHO_FLOOR_BIN};

    std::printf("host_bench: passagent-host vs the C echo floor (same run, same machine)\n");
    std::printf("cold start: spawn -> hello reply -> exit, %d runs each\n", cold);
    // Interleave a warm-up of each so page cache and loader state are alike.
    cold_runs(host, env, 5);
    cold_runs(floor, env, 5);
    const Stats host_cold = stats_of(cold_runs(host, env, cold));
    const Stats floor_cold = stats_of(cold_runs(floor, env, cold));
    row("passagent-host", host_cold);
    row("floor (echo_floor.c)", floor_cold);
    std::printf("  ratio p50: %.2fx (target <= 1.5x)\n\n", host_cold.p50_us / floor_cold.p50_us);

    std::printf("warm: status round trips over one open pipe, %d each\n", warm);
    double host_secs = 0;
    double floor_secs = 0;
    const Stats host_warm = stats_of(warm_runs(host, env, warm, &host_secs));
    const Stats floor_warm = stats_of(warm_runs(floor, env, warm, &floor_secs));
    row("passagent-host", host_warm, warm / host_secs);
    row("floor (echo_floor.c)", floor_warm, warm / floor_secs);
    std::printf("  ratio p50: %.2fx (target <= 2x)\n", host_warm.p50_us / floor_warm.p50_us);
    return 0;
}
