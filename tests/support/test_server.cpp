// SPDX-License-Identifier: MIT
#include "support/test_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace pah::test {

namespace {

// The PassAgent server's quick settings: the smallest KDF the host accepts, fast SSE.
const std::vector<std::string> kPassAgentArgs = {"--kdf-memory",      "19456", "--kdf-iterations",  "2",
                                                 "--kdf-parallelism", "1",     "--sse-interval-ms", "100"};

std::vector<std::string> passagent_args(const std::vector<std::string>& extra_args) {
    std::vector<std::string> args = kPassAgentArgs;
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return args;
}

// Runs a program to completion (stdout/stderr to /dev/null); its exit status or -1.
int run(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        return -1;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Reads one line from fd within the deadline.
bool read_line(int fd, std::string& buffer, std::string& line, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        if (const auto nl = buffer.find('\n'); nl != std::string::npos) {
            line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            return true;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        char chunk[4096];
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) {
            return false;
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace

std::unique_ptr<TestServer> TestServer::start_in(std::string_view dir, const std::vector<std::string>& args,
                                                 std::string* why) {
    const auto fail_with = [&](std::string reason) -> std::unique_ptr<TestServer> {
        if (why != nullptr) {
            *why = std::move(reason);
        }
        return nullptr;
    };
    const std::filesystem::path server_dir = std::filesystem::path(PAH_SOURCE_DIR) / "tests" / dir;
    if (!std::filesystem::exists(server_dir / "serve.mjs")) {
        return fail_with("no test server at " + server_dir.string());
    }
    if (!std::filesystem::exists(server_dir / "node_modules")) {
        // As the server's README says.
        if (run({"npm", "--prefix", server_dir.string(), "ci", "--no-audit", "--no-fund"}) != 0) {
            return fail_with("npm ci failed in tests/" + std::string(dir));
        }
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return fail_with("pipe failed");
    }
    std::vector<std::string> argv = {"node", (server_dir / "serve.mjs").string(), "--port", "0", "--test"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (auto& a : argv) {
        c_argv.push_back(a.data());
    }
    c_argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    if (std::getenv("PAH_TEST_SERVER_LOG") == nullptr) {
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    }
    auto server = std::unique_ptr<TestServer>(new TestServer());
    const int rc = posix_spawnp(&server->pid_, "node", &actions, nullptr, c_argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        server->pid_ = -1;
        return fail_with("could not start node");
    }
    server->stdout_fd_ = fds[0];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string buffer;
    std::string first;
    std::string second;
    if (!read_line(fds[0], buffer, first, deadline) || !read_line(fds[0], buffer, second, deadline)) {
        return fail_with("the test server in tests/" + std::string(dir) + " did not start within 30 s");
    }
    const std::string prefix = "listening on ";
    if (!first.starts_with(prefix)) {
        return fail_with("unexpected first line from the test server: " + first);
    }
    server->url_ = first.substr(prefix.size());
    server->account_ = nlohmann::json::parse(second, nullptr, false);
    if (server->account_.is_discarded() || !server->account_.is_object()) {
        return fail_with("unexpected account line from the test server");
    }
    return server;
}

std::unique_ptr<TestServer> TestServer::start(const std::vector<std::string>& extra_args, std::string* why) {
    return start_in("passagent-server", passagent_args(extra_args), why);
}

TestServer* TestServer::shared_in(std::string_view dir, const std::vector<std::string>& args,
                                  std::string* why) {
    struct Started {
        std::unique_ptr<TestServer> server;
        std::string failure;
    };
    static std::mutex mutex;
    static std::map<std::pair<std::string, std::vector<std::string>>, Started> servers;
    std::lock_guard lock(mutex);
    auto [it, fresh] = servers.try_emplace({std::string(dir), args});
    Started& started = it->second;
    if (fresh) {
        started.server = start_in(dir, args, &started.failure);
    }
    if (!started.server) {
        if (why != nullptr) {
            *why = started.failure;
        }
        return nullptr;
    }
    started.server->call("POST", "/__test/reset");
    return started.server.get();
}

TestServer* TestServer::shared(const std::vector<std::string>& extra_args, std::string* why) {
    return shared_in("passagent-server", passagent_args(extra_args), why);
}

TestServer::~TestServer() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    if (stdout_fd_ >= 0) {
        ::close(stdout_fd_);
    }
}

nlohmann::json TestServer::call(std::string_view method, std::string_view path, const nlohmann::json& body) {
    http::HttpRequest request;
    request.method = std::string(method);
    request.url = url_ + std::string(path);
    if (!body.is_null() || method == "POST") {
        request.headers = {"Content-Type: application/json"};
        request.body = body.is_null() ? "{}" : body.dump();
    }
    auto response = client_.send(request);
    if (!response || response->status >= 300) {
        return nullptr;
    }
    auto reply = nlohmann::json::parse(response->body, nullptr, false);
    return reply.is_discarded() ? nlohmann::json(nullptr) : reply;
}

nlohmann::json TestServer::fixture(std::string_view key, std::string_view list) {
    const nlohmann::json fixtures = call("GET", "/__test/fixtures");
    if (fixtures.is_object() && fixtures.contains(std::string(list))) {
        for (const auto& item : fixtures[std::string(list)]) {
            if (item.value("key", "") == key) {
                return item;
            }
        }
    }
    throw std::runtime_error("the test server has no fixture " + std::string(key) + " in " +
                             std::string(list));
}

nlohmann::json TestServer::requests(std::size_t since) {
    auto reply = call("GET", "/__test/requests?since=" + std::to_string(since));
    return reply.is_object() && reply.contains("requests") ? reply["requests"] : nlohmann::json::array();
}

std::size_t TestServer::count(std::string_view method, std::string_view path, std::string_view query) {
    std::size_t n = 0;
    for (const auto& entry : requests()) {
        if (entry.value("method", "") == method && entry.value("path", "") == path &&
            (query.empty() || entry.value("query", "") == query)) {
            ++n;
        }
    }
    return n;
}

std::size_t TestServer::count_prefix(std::string_view path_prefix) {
    std::size_t n = 0;
    for (const auto& entry : requests()) {
        if (entry.value("path", "").starts_with(path_prefix)) {
            ++n;
        }
    }
    return n;
}

}  // namespace pah::test
