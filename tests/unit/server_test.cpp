// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "io/files.hpp"
#include "messaging/server.hpp"
#include "protocol/envelope.hpp"

using namespace pah;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A MessageServer on two pipes, run on its own thread, as the browser would see it.
class Harness {
public:
    explicit Harness(const Dispatcher& dispatcher, ServerOptions options = {}) {
        REQUIRE(::pipe(to_host_) == 0);
        REQUIRE(::pipe(from_host_) == 0);
        server_ = std::make_unique<MessageServer>(to_host_[0], from_host_[1], dispatcher,
                                                  std::move(options));
        thread_ = std::thread([this] { server_->run(); });
    }
    ~Harness() { finish(); }

    void send(const json& message) { send_raw(encode_frame(message.dump())); }
    void send_raw(const std::string& bytes) { REQUIRE(io::write_all(to_host_[1], bytes)); }

    json receive() {
        FdSource source(from_host_[0]);
        FrameReader reader(source, 2 * 1024 * 1024);
        auto frame = reader.next();
        REQUIRE(frame.status == FrameStatus::Frame);
        return json::parse(frame.payload);
    }

    // Closes the browser's end: the loop ends and the workers are joined.
    void finish() {
        if (to_host_[1] >= 0) {
            ::close(to_host_[1]);
            to_host_[1] = -1;
            thread_.join();
            server_.reset();
            ::close(to_host_[0]);
            ::close(from_host_[0]);
            ::close(from_host_[1]);
        }
    }
    MessageServer& server() { return *server_; }

private:
    int to_host_[2] = {-1, -1};
    int from_host_[2] = {-1, -1};
    std::unique_ptr<MessageServer> server_;
    std::thread thread_;
};

Dispatcher test_dispatcher() {
    Dispatcher d;
    d.add("echo", {.handler = [](RequestContext& ctx) -> Result<json> { return ctx.params().json(); },
                   .run_on = RunOn::Reader});
    // Test-only: stands for a request waiting on the network.
    d.add("test.slow", {.handler = [](RequestContext&) -> Result<json> {
                            std::this_thread::sleep_for(400ms);
                            return json{{"slow", true}};
                        }});
    d.add("test.progress", {.handler = [](RequestContext& ctx) -> Result<json> {
                                ctx.progress("sync", {{"done", 1}, {"total", 2}});
                                ctx.progress("sync", {{"done", 2}, {"total", 2}});
                                return json{{"items", 2}};
                            }});
    d.add("test.huge", {.handler = [](RequestContext&) -> Result<json> {
                            return json{{"blob", std::string(1'100'000, 'x')}};
                        },
                        .run_on = RunOn::Reader});
    d.add("test.throws", {.handler = [](RequestContext&) -> Result<json> {
                              throw std::runtime_error("boom with a secret inside");
                          },
                          .run_on = RunOn::Reader});
    d.add("test.fails", {.handler = [](RequestContext&) -> Result<json> {
                             return fail(ErrorCode::RateLimited, "Too many requests.",
                                         {{"retryAfter", 12}});
                         },
                         .run_on = RunOn::Reader});
    return d;
}

}  // namespace

TEST_CASE("a request gets a reply with the same id", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", "r1"}, {"action", "echo"}, {"params", {{"x", 1}}}});
    REQUIRE(h.receive() == json{{"id", "r1"}, {"ok", true}, {"result", {{"x", 1}}}});
}

TEST_CASE("a slow request does not hold back a fast one sent after it", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", 1}, {"action", "test.slow"}});
    h.send({{"id", 2}, {"action", "echo"}});
    h.send({{"id", 3}, {"action", "test.slow"}});
    const json first = h.receive();
    REQUIRE(first["id"] == 2);
    // Both slow requests run at once on two workers and finish in either order.
    std::set<int> slow_ids = {h.receive()["id"].get<int>(), h.receive()["id"].get<int>()};
    REQUIRE(slow_ids == std::set<int>{1, 3});
}

TEST_CASE("bad frames get BAD_FRAME with a null id and the host keeps serving", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send_raw(encode_frame("{not json"));
    const json bad = h.receive();
    REQUIRE(bad["id"].is_null());
    REQUIRE(bad["error"]["code"] == "BAD_FRAME");
    h.send_raw(encode_frame("[]"));
    REQUIRE(h.receive()["error"]["code"] == "BAD_FRAME");
    h.send_raw(std::string(4, '\0'));
    REQUIRE(h.receive()["error"]["code"] == "BAD_FRAME");
    h.send({{"id", 5}, {"action", "echo"}});
    REQUIRE(h.receive()["ok"] == true);
}

TEST_CASE("an over-cap message is refused, skipped, and the next one served", "[server]") {
    const Dispatcher d = test_dispatcher();
    ServerOptions options;
    options.max_incoming_frame = 1024;
    Harness h(d, options);
    h.send({{"id", 1}, {"action", "echo"}, {"params", {{"pad", std::string(2000, 'p')}}}});
    const json refused = h.receive();
    REQUIRE(refused["id"].is_null());
    REQUIRE(refused["error"]["code"] == "BAD_FRAME");
    REQUIRE(refused["error"]["message"].get<std::string>().find("1024") != std::string::npos);
    h.send({{"id", 2}, {"action", "echo"}});
    REQUIRE(h.receive()["id"] == 2);
}

TEST_CASE("an unknown action and a wrong field type are errors that pair by id", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", 1}, {"action", "no.such"}});
    const json unknown = h.receive();
    REQUIRE(unknown["id"] == 1);
    REQUIRE(unknown["error"]["code"] == "UNKNOWN_ACTION");
    h.send({{"id", 2}, {"action", "echo"}, {"params", "text"}});
    const json bad = h.receive();
    REQUIRE(bad["id"] == 2);
    REQUIRE(bad["error"]["code"] == "BAD_REQUEST");
    REQUIRE(bad["error"]["field"] == "params");
}

TEST_CASE("a reply over 1 MiB becomes a TOO_LARGE error for the same id", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", 9}, {"action", "test.huge"}});
    const json reply = h.receive();
    REQUIRE(reply["id"] == 9);
    REQUIRE(reply["error"]["code"] == "TOO_LARGE");
}

TEST_CASE("a throwing handler becomes INTERNAL and the host keeps serving", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", 1}, {"action", "test.throws"}});
    const json reply = h.receive();
    REQUIRE(reply["error"]["code"] == "INTERNAL");
    REQUIRE(reply["error"]["message"].get<std::string>().find("secret") == std::string::npos);
    h.send({{"id", 2}, {"action", "echo"}});
    REQUIRE(h.receive()["ok"] == true);
}

TEST_CASE("an error's extra fields reach the wire", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", 1}, {"action", "test.fails"}});
    const json reply = h.receive();
    REQUIRE(reply["error"]["code"] == "RATE_LIMITED");
    REQUIRE(reply["error"]["retryAfter"] == 12);
}

TEST_CASE("progress events come before the request's final reply", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.send({{"id", "s"}, {"action", "test.progress"}});
    const json a = h.receive();
    const json b = h.receive();
    const json done = h.receive();
    REQUIRE(a == json{{"id", "s"}, {"event", "sync"}, {"data", {{"done", 1}, {"total", 2}}}});
    REQUIRE(b["data"]["done"] == 2);
    REQUIRE(done["ok"] == true);
    REQUIRE(done["result"]["items"] == 2);
}

TEST_CASE("a refused caller gets ORIGIN_NOT_ALLOWED for every request", "[server]") {
    const Dispatcher d = test_dispatcher();
    ServerOptions options;
    options.caller_allowed = false;
    options.refused_caller = "the Chromium extension chrome-extension://evil/";
    Harness h(d, options);
    for (int i = 0; i < 2; ++i) {
        h.send({{"id", i}, {"action", "echo"}});
        const json reply = h.receive();
        REQUIRE(reply["id"] == i);
        REQUIRE(reply["error"]["code"] == "ORIGIN_NOT_ALLOWED");
        REQUIRE(reply["error"]["message"].get<std::string>().find("evil") != std::string::npos);
    }
}

TEST_CASE("a push is an event with no id", "[server]") {
    const Dispatcher d = test_dispatcher();
    Harness h(d);
    h.server().push("locked", {{"account", "a"}, {"reason", "idle"}});
    const json push = h.receive();
    REQUIRE_FALSE(push.contains("id"));
    REQUIRE(push["event"] == "locked");
    REQUIRE(push["data"]["reason"] == "idle");
}

TEST_CASE("user activity is reported for actions that count as activity", "[server]") {
    Dispatcher d = test_dispatcher();
    d.add("quiet", {.handler = [](RequestContext&) -> Result<json> { return json::object(); },
                    .run_on = RunOn::Reader,
                    .user_activity = false});
    std::atomic<int> touches{0};
    ServerOptions options;
    options.on_user_activity = [&touches] { ++touches; };
    Harness h(d, options);
    h.send({{"id", 1}, {"action", "quiet"}});
    h.receive();
    REQUIRE(touches == 0);
    h.send({{"id", 2}, {"action", "echo"}});
    h.receive();
    REQUIRE(touches == 1);
    h.send({{"id", 3}, {"action", "echo"}, {"params", {{"background", true}}}});
    h.receive();
    REQUIRE(touches == 1);
}

TEST_CASE("writing to a browser that has gone away is not a crash", "[server]") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    FrameWriter writer(fds[1]);
    REQUIRE_FALSE(writer.send(make_push("locked", json::object())));
    REQUIRE(writer.broken());
    REQUIRE_FALSE(writer.send(make_push("locked", json::object())));
    ::close(fds[1]);
}

TEST_CASE("wait_idle returns once every pool task so far has finished, and the pool serves on", "[server]") {
    WorkerPool pool(2);
    std::atomic<int> done{0};
    for (int i = 0; i < 6; ++i) {
        pool.submit([&done] {
            std::this_thread::sleep_for(20ms);
            ++done;
        });
    }
    pool.wait_idle();
    CHECK(done.load() == 6);
    pool.submit([&done] { ++done; });
    pool.wait_idle();
    CHECK(done.load() == 7);
    CHECK(pool.threads() <= 2);
}
