// SPDX-License-Identifier: MIT
#pragma once

// What every benchmark program measures with: elapsed milliseconds, a process's memory
// figures and the machine's load average from /proc.

#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <string>

namespace pah::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A field of /proc/<pid>/status in KiB ("VmRSS", "RssAnon", "RssFile"), -1 if absent.
inline long status_kib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    return -1;
}

// The first three fields of /proc/loadavg ("1.20 0.98 0.75"), for a figure's context.
inline std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one;
    std::string five;
    std::string fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

}  // namespace pah::bench
