// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

#include <sodium.h>

#include "app/share_view_queue.hpp"

using pah::ErrorCode;
using pah::ShareViewQueue;

namespace {

// A fresh directory under the system temp dir, removed afterwards.
struct TempState {
    std::filesystem::path root;
    TempState() {
        REQUIRE(sodium_init() >= 0);
        std::array<unsigned char, 8> r{};
        randombytes_buf(r.data(), r.size());
        std::array<char, 17> hex{};
        sodium_bin2hex(hex.data(), hex.size(), r.data(), r.size());
        root = std::filesystem::temp_directory_path() / ("pah-svq-" + std::string(hex.data()));
    }
    ~TempState() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
    [[nodiscard]] std::filesystem::path state() const { return root / "state" / "passagent-host"; }
};

// Records what reached the "server".
struct FakeServer {
    std::mutex mu;
    std::vector<std::string> received;  // "share/action"
    std::map<std::string, ErrorCode> refuse;  // share id → error
    std::atomic<int> in_flight{0};
    std::atomic<int> max_in_flight{0};

    ShareViewQueue::Sender sender() {
        return [this](std::string_view share, std::string_view action) -> pah::Result<void> {
            const int now = ++in_flight;
            int seen = max_in_flight.load();
            while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            --in_flight;
            std::lock_guard lock(mu);
            if (auto it = refuse.find(std::string(share)); it != refuse.end()) {
                return pah::fail(it->second, "refused");
            }
            received.push_back(std::string(share) + "/" + std::string(action));
            return {};
        };
    }
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return static_cast<unsigned>(st.st_mode) & 0777U;
}

}  // namespace

TEST_CASE("queued share views survive a restart and are sent once", "[share_view_queue]") {
    TempState tmp;
    {
        ShareViewQueue queue(tmp.state());
        queue.enqueue("acct", "s1", "password_viewed");
        queue.enqueue("acct", "s2", "password_copied");
    }
    ShareViewQueue reopened(tmp.state());
    REQUIRE(reopened.pending("acct").size() == 2);

    FakeServer server;
    const auto result = reopened.flush("acct", server.sender());

    CHECK(result.sent == 2);
    CHECK(result.remaining == 0);
    CHECK(server.received == std::vector<std::string>{"s1/password_viewed", "s2/password_copied"});
    ShareViewQueue third(tmp.state());
    CHECK(third.pending().empty());
    CHECK(third.flush("acct", server.sender()).sent == 0);
    CHECK(server.received.size() == 2);
}

TEST_CASE("the journal and its directory are private to the user", "[share_view_queue]") {
    TempState tmp;
    ShareViewQueue queue(tmp.state());
    queue.enqueue("acct", "s1", "password_viewed");
    CHECK(mode_of(queue.journal_path()) == 0600U);
    CHECK(mode_of(tmp.state()) == 0700U);
}

TEST_CASE("a torn last line is ignored and the rest is kept", "[share_view_queue]") {
    TempState tmp;
    std::string first_id;
    {
        ShareViewQueue queue(tmp.state());
        first_id = queue.enqueue("acct", "s1", "password_viewed");
        queue.enqueue("acct", "s2", "password_viewed");
    }
    const auto path = tmp.state() / "share-views.jsonl";
    {
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << R"({"id":"cafe","account":"acct","sha)";
    }

    ShareViewQueue reopened(tmp.state());
    const auto pending = reopened.pending();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].id == first_id);
    CHECK(read_file(path).back() == '\n');  // rewritten whole
    reopened.enqueue("acct", "s3", "password_copied");
    CHECK(ShareViewQueue(tmp.state()).pending().size() == 3);
}

TEST_CASE("a done mark cut short of its newline still counts", "[share_view_queue]") {
    TempState tmp;
    std::string id;
    {
        ShareViewQueue queue(tmp.state());
        id = queue.enqueue("acct", "s1", "password_viewed");
    }
    {
        std::ofstream out(tmp.state() / "share-views.jsonl", std::ios::app | std::ios::binary);
        out << R"({"done":")" << id << R"("})";
    }
    CHECK(ShareViewQueue(tmp.state()).pending().empty());
}

TEST_CASE("records are sent in the order they were queued, per account", "[share_view_queue]") {
    TempState tmp;
    ShareViewQueue queue(tmp.state());
    for (int i = 0; i < 10; ++i) {
        queue.enqueue(i % 2 == 0 ? "a" : "b", "s" + std::to_string(i), "password_viewed");
    }
    FakeServer server;

    const auto result = queue.flush("a", server.sender());

    CHECK(result.sent == 5);
    CHECK(server.received == std::vector<std::string>{"s0/password_viewed", "s2/password_viewed",
                                                      "s4/password_viewed", "s6/password_viewed",
                                                      "s8/password_viewed"});
    CHECK(queue.pending("b").size() == 5);
}

TEST_CASE("a record the server refuses for good is dropped", "[share_view_queue]") {
    TempState tmp;
    ShareViewQueue queue(tmp.state());
    queue.enqueue("acct", "gone", "password_viewed");
    queue.enqueue("acct", "forbidden", "password_viewed");
    queue.enqueue("acct", "ok", "password_copied");
    FakeServer server;
    server.refuse["gone"] = ErrorCode::NotFound;
    server.refuse["forbidden"] = ErrorCode::Forbidden;

    const auto result = queue.flush("acct", server.sender());

    CHECK(result.dropped == 2);
    CHECK(result.sent == 1);
    CHECK(result.remaining == 0);
    CHECK(server.received == std::vector<std::string>{"ok/password_copied"});
    CHECK(ShareViewQueue(tmp.state()).pending().empty());
}

TEST_CASE("a network or server failure stops the flush and keeps the rest", "[share_view_queue]") {
    for (const auto code : {ErrorCode::Network, ErrorCode::Server, ErrorCode::RateLimited}) {
        TempState tmp;
        ShareViewQueue queue(tmp.state());
        queue.enqueue("acct", "first", "password_viewed");
        queue.enqueue("acct", "down", "password_viewed");
        queue.enqueue("acct", "after", "password_viewed");
        FakeServer server;
        server.refuse["down"] = code;

        const auto result = queue.flush("acct", server.sender());

        CHECK(result.sent == 1);
        CHECK(result.remaining == 2);
        REQUIRE(result.stopped_by.has_value());
        CHECK(result.stopped_by->code == code);
        CHECK(server.received == std::vector<std::string>{"first/password_viewed"});
        const auto kept = ShareViewQueue(tmp.state()).pending();
        REQUIRE(kept.size() == 2);
        CHECK(kept[0].share_id == "down");
        CHECK(kept[1].share_id == "after");
    }
}

TEST_CASE("submit says queued only when the server did not take the record", "[share_view_queue]") {
    TempState tmp;
    ShareViewQueue queue(tmp.state());
    FakeServer server;
    CHECK_FALSE(queue.submit("acct", "s1", "password_viewed", server.sender()));
    server.refuse["s2"] = ErrorCode::Network;
    CHECK(queue.submit("acct", "s2", "password_copied", server.sender()));
    CHECK(queue.pending("acct").size() == 1);
}

TEST_CASE("two flushes at once send each record exactly once", "[share_view_queue]") {
    TempState tmp;
    ShareViewQueue queue(tmp.state());
    for (int i = 0; i < 40; ++i) {
        queue.enqueue("acct", "s" + std::to_string(i), "password_viewed");
    }
    FakeServer server;

    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] { queue.flush("acct", server.sender()); });
    }
    for (int i = 40; i < 50; ++i) {
        queue.enqueue("acct", "s" + std::to_string(i), "password_viewed");
    }
    for (auto& t : threads) {
        t.join();
    }
    queue.flush("acct", server.sender());

    CHECK(server.max_in_flight.load() == 1);
    REQUIRE(server.received.size() == 50);
    for (int i = 0; i < 50; ++i) {
        CHECK(server.received[static_cast<std::size_t>(i)] ==
              "s" + std::to_string(i) + "/password_viewed");
    }
    CHECK(ShareViewQueue(tmp.state()).pending().empty());
}

TEST_CASE("the journal is compacted once enough records are done", "[share_view_queue]") {
    TempState tmp;
    ShareViewQueue queue(tmp.state(), 4);
    FakeServer server;
    for (int i = 0; i < 10; ++i) {
        queue.enqueue("acct", "s" + std::to_string(i), "password_viewed");
    }
    queue.enqueue("other", "keep", "password_viewed");
    queue.flush("acct", server.sender());

    const auto text = read_file(queue.journal_path());
    const auto lines = std::count(text.begin(), text.end(), '\n');
    CHECK(lines <= 6);
    const auto kept = ShareViewQueue(tmp.state()).pending();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].share_id == "keep");
}

TEST_CASE("unreadable lines are skipped without losing good ones", "[share_view_queue]") {
    TempState tmp;
    std::filesystem::create_directories(tmp.state());
    {
        std::ofstream out(tmp.state() / "share-views.jsonl", std::ios::binary);
        out << "not json\n"
            << R"({"id":"a1","account":"acct","share":"s1","action":"password_viewed","ts":1})" << "\n"
            << R"({"id":5})" << "\n"
            << R"({"id":"a1","account":"acct","share":"s1","action":"password_viewed","ts":1})" << "\n";
    }
    ShareViewQueue queue(tmp.state());
    const auto pending = queue.pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].id == "a1");
}
