// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pah::testing {

// A child process with pipes on stdin, stdout and stderr, for tests that talk to the
// real host binary (or a test server) the way a browser does.
class Process {
public:
    // env: variables to set on top of this process's environment ("" value = unset).
    Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process();

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

    bool write(const std::string& bytes);
    bool send_frame(const nlohmann::json& message);
    // The next frame from stdout, parsed; nullopt on EOF or timeout.
    std::optional<nlohmann::json> read_frame(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // One line from stdout (without the newline); nullopt on EOF or timeout.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Everything the child wrote to stderr so far (drained without blocking).
    std::string stderr_text();
    // Everything left on stdout until EOF.
    std::string read_all_stdout(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    void close_stdin();
    void signal(int sig);
    // Exit code (or 128 + signal); nullopt if still running after the timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    bool fill(std::size_t want, std::chrono::milliseconds timeout);
    void drain_stderr(int timeout_ms);

    pid_t pid_ = -1;
    int in_ = -1;
    int out_ = -1;
    int err_ = -1;
    std::string out_buffer_;
    std::string err_buffer_;
    std::optional<int> status_;
};

// A fresh directory under TMPDIR, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    // Writes a file (creating parent dirs) and returns its path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

}  // namespace pah::testing
