// SPDX-License-Identifier: MIT
#pragma once

// For integration tests of the backends: a Node test server
// (tests/<name>-server/serve.mjs --test, support/test_server.hpp) shared by the tests of
// a process, and the real host binary driven over its native-messaging pipes.
// Header-only over support/process.cpp and support/test_server.cpp.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"
#include "totp/totp.hpp"

namespace pah::testing {

inline constexpr const char* kTestOrigin = "chrome-extension://integrationtestoriginaaaaaaaaaaa/";

// The Node server in tests/<dir>, started once per process, reset before each test; the
// test fails when it is not available ("the <product> test server is not available").
inline test::TestServer& shared_server(const std::string& dir, std::string_view product) {
    std::string why;
    test::TestServer* server = test::TestServer::shared_in(dir, {}, &why);
    if (server == nullptr) {
        FAIL("the " << product << " test server is not available: " << why);
    }
    return *server;
}

struct HostReply {
    nlohmann::json frame;
    std::vector<nlohmann::json> events;  // progress of this request
};

// The real passagent-host, started as Chromium starts it, with its own config and
// state directories. Without a `log_level` the host's own default applies.
class HostDriver {
public:
    // `extra_env` is set on top (and wins): XDG_STATE_HOME there lets two hosts share
    // their state, one after the other.
    explicit HostDriver(const nlohmann::json& extra_config = nlohmann::json::object(),
                        std::optional<std::string> log_level = "info",
                        const std::map<std::string, std::string>& extra_env = {}) {
        nlohmann::json config{{"allowedOrigins", {kTestOrigin}}};
        config.update(extra_config);
        const std::string path = dir_.write("config.json", config.dump());
        std::map<std::string, std::string> env{{"PASSAGENT_HOST_CONFIG", path},
                                               {"XDG_STATE_HOME", dir_.path() + "/state"},
                                               {"HOME", dir_.path()}};
        if (log_level) {
            env.emplace("PASSAGENT_HOST_LOG", std::move(*log_level));
        }
        for (const auto& [name, value] : extra_env) {
            env.insert_or_assign(name, value);
        }
        process_ = std::make_unique<Process>(std::vector<std::string>{PAH_HOST_BIN, kTestOrigin}, std::move(env));
    }

    int send(const std::string& action, const nlohmann::json& params = nlohmann::json::object()) {
        const int id = next_id_++;
        REQUIRE(process_->send_frame({{"id", id}, {"action", action}, {"params", params}}));
        return id;
    }

    HostReply wait(int id, std::chrono::seconds timeout = std::chrono::seconds(60)) {
        if (auto it = replies_.find(id); it != replies_.end() && !it->second.frame.is_null()) {
            HostReply done = std::move(it->second);
            replies_.erase(it);
            return done;
        }
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            auto frame = process_->read_frame(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()));
            stderr_ += process_->stderr_text();
            REQUIRE(frame);
            if (!frame->contains("id")) {
                pushes.push_back(*frame);
                continue;
            }
            const int frame_id = (*frame)["id"].is_number_integer() ? (*frame)["id"].get<int>() : -1;
            HostReply& target = replies_[frame_id];
            if (frame->contains("event")) {
                target.events.push_back(*frame);
                continue;
            }
            target.frame = *frame;
            if (frame_id == id) {
                HostReply done = std::move(target);
                replies_.erase(id);
                return done;
            }
        }
        FAIL("no reply to request " << id);
        return {};
    }

    HostReply call(const std::string& action, const nlohmann::json& params = nlohmann::json::object()) {
        return wait(send(action, params));
    }

    nlohmann::json ok(const std::string& action, const nlohmann::json& params = nlohmann::json::object()) {
        const HostReply reply = call(action, params);
        INFO(action << " -> " << reply.frame.dump());
        REQUIRE(reply.frame["ok"] == true);
        return reply.frame["result"];
    }

    std::string error(const std::string& action, const nlohmann::json& params = nlohmann::json::object()) {
        const HostReply reply = call(action, params);
        INFO(action << " -> " << reply.frame.dump());
        REQUIRE(reply.frame["ok"] == false);
        return reply.frame["error"]["code"].get<std::string>();
    }

    // The `status` entry of `account` once no sync of it runs, asking `status` again as a
    // user looks again: a PassAgent account's first sync runs after vault.unlock answers.
    nlohmann::json synced(const std::string& account,
                          std::chrono::seconds timeout = std::chrono::seconds(300)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const nlohmann::json status = ok("status");  // kept: the loop reads into it
            for (const auto& entry : status["accounts"]) {
                if (entry["account"] == account && entry["syncing"] == false) {
                    return entry;
                }
            }
            if (std::chrono::steady_clock::now() > deadline) {
                FAIL("the sync of " << account << " did not end");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    // vault.unlock, then synced(): how many entries the vault shows once its sync is over.
    std::size_t unlock_synced(const nlohmann::json& params) {
        const nlohmann::json unlocked = ok("vault.unlock", params);
        return synced(unlocked["account"].get<std::string>())["items"].get<std::size_t>();
    }

    // Both events were pushed, `first` before `then`.
    bool pushed_before(std::string_view first, std::string_view then) const {
        std::optional<std::size_t> first_at;
        for (std::size_t i = 0; i < pushes.size(); ++i) {
            const std::string event = pushes[i].value("event", "");
            if (event == first && !first_at) {
                first_at = i;
            } else if (event == then) {
                return first_at.has_value();
            }
        }
        return false;
    }

    bool pushed(std::string_view event) const {
        for (const auto& push : pushes) {
            if (push.value("event", "") == event) {
                return true;
            }
        }
        return false;
    }

    [[nodiscard]] pid_t pid() const noexcept { return process_->pid(); }
    // The browser goes away: stdin closes and the host ends as it does then. Its exit code
    // (none when it did not end within `timeout`).
    std::optional<int> close(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        process_->close_stdin();
        return process_->wait(timeout);
    }
    // The host's state directory (XDG_STATE_HOME/passagent-host).
    [[nodiscard]] std::string state_dir() const { return dir_.path() + "/state/passagent-host"; }

    // Everything the host logged so far.
    std::string log() {
        stderr_ += process_->stderr_text();
        return stderr_;
    }

    std::vector<nlohmann::json> pushes;

private:
    TempDir dir_;
    std::unique_ptr<Process> process_;
    int next_id_ = 1;
    std::map<int, HostReply> replies_;
    std::string stderr_;
};

inline std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The TOTP code of `base32_secret` at Unix time `at`.
inline std::string totp_code_at(std::string_view base32_secret, std::int64_t at,
                                TotpAlgorithm algorithm = TotpAlgorithm::Sha1, unsigned digits = 6,
                                std::uint32_t period = 30) {
    auto key = base32_decode(base32_secret);
    REQUIRE(key);
    return totp_at(*key, TotpParams{algorithm, digits, period}, at).code;
}

// The code is the current period's or the previous one's (the clock may have ticked).
inline void check_totp_code(const std::string& code, std::string_view base32_secret,
                            TotpAlgorithm algorithm = TotpAlgorithm::Sha1, unsigned digits = 6,
                            std::uint32_t period = 30) {
    const auto now = now_seconds();
    const std::string a = totp_code_at(base32_secret, now, algorithm, digits, period);
    const std::string b = totp_code_at(base32_secret, now - period, algorithm, digits, period);
    INFO(code << " vs " << a << " / " << b);
    CHECK((code == a || code == b));
}

}  // namespace pah::testing
