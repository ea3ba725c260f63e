// SPDX-License-Identifier: MIT
#pragma once

// What every benchmark program measures with: elapsed milliseconds and a process's
// memory figures from /proc.

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

}  // namespace pah::bench
