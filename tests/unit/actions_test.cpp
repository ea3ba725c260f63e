// SPDX-License-Identifier: MIT
// The core actions against a fake backend: what the extension sees, without a server.
#include <unistd.h>

#include <atomic>
#include <thread>
#include <filesystem>
#include <mutex>
#include <vector>

#include <catch2/catch.hpp>

#include "actions/actions.hpp"
#include "app/services.hpp"
#include "protocol/envelope.hpp"
#include "protocol/execute.hpp"
#include "totp/totp.hpp"

using namespace pah;
using nlohmann::json;

namespace {

struct SentView {
    std::string share_id;
    std::string action;
};

// Stands for a password manager: two own entries and one received share.
class FakeBackend final : public Backend {
public:
    std::atomic<bool> unlocked{false};
    std::atomic<bool> signed_in{true};
    std::atomic<bool> server_up{true};
    mutable std::mutex mu;
    std::vector<SentView> sent;

    std::string_view kind() const noexcept override { return "passagent"; }
    Result<json> login(const Params& params) override {
        const SecretBuffer* password = params.secret("password");
        if (password == nullptr || password->view() != "login-pass") {
            return fail(ErrorCode::BadCredentials, "wrong email or password");
        }
        return json{{"user", "alice@example.com"}};
    }
    Result<void> logout() override { return {}; }
    Result<std::size_t> unlock(const Params& params, const Progress& progress) override {
        const SecretBuffer* master = params.secret("masterPassword");
        if (master == nullptr || master->view() != "master") {
            return fail(ErrorCode::WrongMasterPassword, "wrong master password");
        }
        progress("sync", {{"done", 3}, {"total", 3}});
        auto list = std::make_shared<ItemList>();
        list->push_back({"1", "GitHub", "alice", "https://github.com/login", "", true, std::nullopt, ""});
        list->push_back({"2", "Google", "alice@gmail.com", "", "google.com", false, std::nullopt, ""});
        list->push_back({"3", "Team wiki", "team", "https://wiki.example.org", "", false,
                         ShareRef{"shr_1", "read", "owner@example.org"}, ""});
        std::lock_guard lock(mu);
        items_ = list;
        unlocked = true;
        return list->size();
    }
    void lock() noexcept override {
        std::lock_guard lock(mu);
        items_.reset();
        unlocked = false;
    }
    Result<std::size_t> sync(const Progress&) override { return std::size_t{3}; }
    std::shared_ptr<const ItemList> items() const override {
        std::lock_guard lock(mu);
        return items_;
    }
    Result<Credential> decrypt(std::string_view id) override {
        Credential c;
        c.username = "user-" + std::string(id);
        c.password = SecretBuffer::copy_of("pw-" + std::string(id));
        return c;
    }
    Result<TotpSource> totp(std::string_view) override {
        TotpSecret secret;
        secret.key = SecretBuffer::copy_of("12345678901234567890");
        return TotpSource{std::move(secret)};
    }
    AccountInfo info() const override {
        return AccountInfo{"alice@example.com",
                           "https://passagent.example",
                           signed_in.load(),
                           unlocked.load(),
                           items() ? items()->size() : 0,
                           std::nullopt,
                           false};
    }
    Result<void> send_share_view(std::string_view share_id, std::string_view action) override {
        if (!server_up) {
            return fail(ErrorCode::Network, "server down");
        }
        std::lock_guard lock(mu);
        sent.push_back({std::string(share_id), std::string(action)});
        return {};
    }

private:
    std::shared_ptr<const ItemList> items_;
};

class RecordingSink final : public EventSink {
public:
    std::mutex mu;
    std::vector<json> events;
    void push(std::string_view event, json data) override {
        std::lock_guard lock(mu);
        events.push_back({{"event", event}, {"data", std::move(data)}});
    }
};

struct Fixture {
    std::filesystem::path state = std::filesystem::temp_directory_path() /
                                  ("pah-actions-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(counter()++));
    std::shared_ptr<FakeBackend> fake = std::make_shared<FakeBackend>();
    std::unique_ptr<Services> services;
    Dispatcher dispatcher;
    RecordingSink sink;

    Fixture() { start(); }
    ~Fixture() {
        services.reset();
        std::filesystem::remove_all(state);
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
    // (Re)starts the services over the same state dir, as a host restart would.
    void start() {
        services.reset();
        dispatcher = Dispatcher();
        Config config = parse_config("{}");
        config.state_dir = state;
        services = std::make_unique<Services>(config);
        services->set_events(&sink);
        auto fake_ptr = fake;
        services->accounts().register_backend(
            "passagent", [fake_ptr](const Config&) -> std::unique_ptr<Backend> {
                // The accounts map owns a unique backend; hand out a forwarding shell.
                struct Shell final : Backend {
                    std::shared_ptr<FakeBackend> f;
                    explicit Shell(std::shared_ptr<FakeBackend> x) : f(std::move(x)) {}
                    std::string_view kind() const noexcept override { return f->kind(); }
                    Result<json> login(const Params& p) override { return f->login(p); }
                    Result<void> logout() override { return f->logout(); }
                    Result<std::size_t> unlock(const Params& p, const Progress& g) override {
                        return f->unlock(p, g);
                    }
                    void lock() noexcept override { f->lock(); }
                    Result<std::size_t> sync(const Progress& g) override { return f->sync(g); }
                    std::shared_ptr<const ItemList> items() const override { return f->items(); }
                    Result<Credential> decrypt(std::string_view id) override { return f->decrypt(id); }
                    Result<TotpSource> totp(std::string_view id) override { return f->totp(id); }
                    AccountInfo info() const override { return f->info(); }
                    Result<void> send_share_view(std::string_view s, std::string_view a) override {
                        return f->send_share_view(s, a);
                    }
                };
                return std::make_unique<Shell>(fake_ptr);
            });
        actions::register_all(dispatcher, *services);
    }

    json call(const std::string& action, json params = json::object()) {
        const ActionSpec* spec = dispatcher.find(action);
        REQUIRE(spec != nullptr);
        Request request{1, action, std::move(params)};
        return execute_request(*spec, request, [](std::string_view, json) {});
    }
    void sign_in_and_unlock() {
        REQUIRE(call("session.login", {{"backend", "passagent"}, {"email", "alice@example.com"},
                                       {"password", "login-pass"}})["ok"] == true);
        REQUIRE(call("vault.unlock", {{"masterPassword", "master"}})["ok"] == true);
    }
};

}  // namespace

TEST_CASE("before sign-in every vault action says NOT_LOGGED_IN", "[actions]") {
    Fixture f;
    for (const auto& [action, params] :
         std::vector<std::pair<std::string, json>>{{"vault.unlock", {{"masterPassword", "m"}}},
                                                   {"credentials.match", {{"url", "https://github.com"}}},
                                                   {"credentials.get", {{"id", "1"}, {"purpose", "view"}}},
                                                   {"totp.code", {{"id", "1"}}}}) {
        CHECK(f.call(action, params)["error"]["code"] == "NOT_LOGGED_IN");
    }
}

TEST_CASE("signed in but locked, vault actions say LOCKED, never a stale answer", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    REQUIRE(f.call("vault.lock")["ok"] == true);
    CHECK(f.call("credentials.match", {{"url", "https://github.com"}})["error"]["code"] == "LOCKED");
    CHECK(f.call("credentials.get", {{"id", "1"}, {"purpose", "view"}})["error"]["code"] == "LOCKED");
    CHECK(f.call("totp.code", {{"id", "1"}})["error"]["code"] == "LOCKED");
}

TEST_CASE("once every session has ended, credentials.match says NOT_LOGGED_IN, not LOCKED", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    REQUIRE(f.call("credentials.match", {{"url", "https://github.com"}})["ok"] == true);

    f.fake->lock();
    f.fake->signed_in = false;  // what a backend does when its session expires

    CHECK(f.call("credentials.match", {{"url", "https://github.com"}})["error"]["code"] == "NOT_LOGGED_IN");
}

TEST_CASE("a backend's own locked push drops that account's match index and goes out", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    const std::string account = f.call("status")["result"]["accounts"][0]["account"];
    const auto items = f.fake->items();
    const auto before = f.services->match_cache().get(account, items);
    REQUIRE(before == f.services->match_cache().get(account, items));  // cached

    f.services->backend_push("locked", {{"account", account}, {"reason", "logout"}});

    CHECK(f.services->match_cache().get(account, items) != before);  // built anew
    std::lock_guard lock(f.sink.mu);
    REQUIRE_FALSE(f.sink.events.empty());
    CHECK(f.sink.events.back()["event"] == "locked");
    CHECK(f.sink.events.back()["data"]["account"] == account);
}

TEST_CASE("sign-in errors and a wrong master password come back as their codes", "[actions]") {
    Fixture f;
    CHECK(f.call("session.login", {{"backend", "passagent"}, {"password", "nope"}})["error"]["code"] ==
          "BAD_CREDENTIALS");
    CHECK(f.call("session.login", {{"backend", "keepass"}})["error"]["field"] == "backend");
    REQUIRE(f.call("session.login", {{"backend", "passagent"}, {"password", "login-pass"}})["ok"] == true);
    CHECK(f.call("vault.unlock", {{"masterPassword", "wrong"}})["error"]["code"] ==
          "WRONG_MASTER_PASSWORD");
}

TEST_CASE("login returns the account id and status lists it", "[actions]") {
    Fixture f;
    const json login = f.call("session.login", {{"backend", "passagent"}, {"password", "login-pass"}});
    REQUIRE(login["result"]["account"] == "passagent:alice@example.com@https://passagent.example");
    const json status = f.call("status");
    REQUIRE(status["result"]["accounts"].size() == 1);
    CHECK(status["result"]["accounts"][0]["loggedIn"] == true);
    CHECK(status["result"]["accounts"][0]["unlocked"] == false);
}

TEST_CASE("match returns the page's entries best first and never a password", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    const json reply = f.call("credentials.match", {{"url", "https://github.com/login?next=1"}});
    REQUIRE(reply["ok"] == true);
    const json& matches = reply["result"]["matches"];
    REQUIRE(matches.size() == 1);
    CHECK(matches[0]["id"] == "1");
    CHECK(matches[0]["username"] == "alice");
    CHECK(matches[0]["hasTotp"] == true);
    CHECK(matches[0]["account"] == "passagent:alice@example.com@https://passagent.example");
    CHECK(reply.dump().find("pw-") == std::string::npos);

    const json google = f.call("credentials.match", {{"url", "https://accounts.google.com/"}});
    REQUIRE(google["result"]["matches"].size() == 1);
    CHECK(google["result"]["matches"][0]["id"] == "2");

    CHECK(f.call("credentials.match", {{"url", "https://evil-github.com/"}})["result"]["matches"].empty());
    CHECK(f.call("credentials.match", {{"url", "javascript:alert(1)"}})["error"]["field"] == "url");
}

TEST_CASE("a fill is released only to a page that matches the entry", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    const json ok = f.call("credentials.get", {{"id", "1"}, {"purpose", "fill"}, {"url", "https://github.com/login"}});
    REQUIRE(ok["ok"] == true);
    CHECK(ok["result"]["username"] == "user-1");
    CHECK(ok["result"]["password"] == "pw-1");
    CHECK(f.call("credentials.get", {{"id", "1"}, {"purpose", "fill"}, {"url", "https://github.com.evil.io/"}})
              ["error"]["code"] == "URL_MISMATCH");
    CHECK(f.call("credentials.get", {{"id", "1"}, {"purpose", "fill"}})["error"]["field"] == "url");
    CHECK(f.call("credentials.get", {{"id", "404"}, {"purpose", "view"}})["error"]["code"] == "NOT_FOUND");
    CHECK(f.call("credentials.get", {{"id", "1"}, {"purpose", "steal"}})["error"]["field"] == "purpose");
}

TEST_CASE("a received share's fill and copy are logged once each, as viewed and copied",
          "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    const json fill = f.call("credentials.get", {{"id", "3"}, {"purpose", "fill"}, {"url", "https://wiki.example.org/"}});
    REQUIRE(fill["ok"] == true);
    CHECK(fill["result"]["share"]["queued"] == false);
    CHECK(fill["result"]["share"]["sharedBy"] == "owner@example.org");
    const json matches =
        f.call("credentials.match", {{"url", "https://wiki.example.org/"}})["result"]["matches"];
    REQUIRE(matches.size() == 1);
    CHECK(matches[0]["share"] ==
          json{{"id", "shr_1"}, {"permission", "read"}, {"sharedBy", "owner@example.org"}});
    f.call("credentials.get", {{"id", "3"}, {"purpose", "copy"}});
    f.call("credentials.get", {{"id", "1"}, {"purpose", "copy"}});  // own entry: not logged
    REQUIRE(f.fake->sent.size() == 2);
    CHECK(f.fake->sent[0].share_id == "shr_1");
    CHECK(f.fake->sent[0].action == "password_viewed");
    CHECK(f.fake->sent[1].action == "password_copied");
}

TEST_CASE("a share view that cannot be sent is kept on disk and sent after a restart",
          "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    f.fake->server_up = false;
    const json fill = f.call("credentials.get", {{"id", "3"}, {"purpose", "view"}});
    REQUIRE(fill["ok"] == true);
    CHECK(fill["result"]["share"]["queued"] == true);
    CHECK(f.call("shares.logView", {{"shareId", "shr_1"}, {"action", "password_copied"}})["result"]["queued"] == true);
    REQUIRE(f.fake->sent.empty());

    f.fake->server_up = true;
    f.start();  // the host restarts: nothing held in memory survives
    f.fake->lock();
    f.sign_in_and_unlock();
    REQUIRE(f.fake->sent.size() == 2);
    CHECK(f.fake->sent[0].action == "password_viewed");
    CHECK(f.fake->sent[1].action == "password_copied");
    f.fake->lock();
    f.sign_in_and_unlock();
    CHECK(f.fake->sent.size() == 2);  // none sent twice
}

TEST_CASE("totp.code computes the RFC 6238 code now, and says NO_TOTP where there is none",
          "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    const json reply = f.call("totp.code", {{"id", "1"}});
    REQUIRE(reply["ok"] == true);
    const std::string_view key = "12345678901234567890";
    const auto expected = totp_now(std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()),
                                   TotpParams{});
    // The code may roll over between the two computations; the period and digits may not.
    CHECK(reply["result"]["code"].get<std::string>().size() == 6);
    CHECK(reply["result"]["period"] == 30);
    CHECK(reply["result"]["digits"] == 6);
    CHECK(reply["result"]["algorithm"] == "SHA1");
    if (expected.remaining > 2) {
        CHECK(reply["result"]["code"] == expected.code);
    }
    CHECK(f.call("totp.code", {{"id", "2"}})["error"]["code"] == "NO_TOTP");
    CHECK(f.call("totp.code", {{"id", "1"}, {"url", "https://gitlab.com/"}})["error"]["code"] == "URL_MISMATCH");
}

TEST_CASE("lock and unlock are pushed to the extension", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    f.call("vault.lock");
    std::lock_guard lock(f.sink.mu);
    REQUIRE(f.sink.events.size() == 2);
    CHECK(f.sink.events[0]["event"] == "unlocked");
    CHECK(f.sink.events[0]["data"]["items"] == 3);
    CHECK(f.sink.events[1]["event"] == "locked");
    CHECK(f.sink.events[1]["data"]["reason"] == "user");
}

TEST_CASE("the idle timer locks every vault and pushes locked with reason idle", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    f.services->auto_lock().set_timeout(std::chrono::milliseconds(50));
    f.services->auto_lock().arm();
    for (int i = 0; i < 200 && f.fake->unlocked; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE_FALSE(f.fake->unlocked);
    std::lock_guard lock(f.sink.mu);
    REQUIRE(f.sink.events.back()["event"] == "locked");
    CHECK(f.sink.events.back()["data"]["reason"] == "idle");
}

TEST_CASE("backend-specific actions reach the backend, which may not offer them", "[actions]") {
    Fixture f;
    f.sign_in_and_unlock();
    const json reply = f.call("shares.list", {{"type", "owned"}});
    CHECK(reply["error"]["code"] == "UNSUPPORTED");
}

TEST_CASE("credentials.list pages through every entry with a cursor and filters by a query", "[actions][list]") {
    Fixture f;
    CHECK(f.call("credentials.list")["error"]["code"] == "NOT_LOGGED_IN");
    f.sign_in_and_unlock();
    const json all = f.call("credentials.list")["result"];
    REQUIRE(all["items"].size() == 3);
    CHECK_FALSE(all.contains("cursor"));
    for (const auto& item : all["items"]) {
        CHECK_FALSE(item.contains("password"));
        CHECK_FALSE(item.contains("score"));
        CHECK(item.contains("updatedAt"));
    }
    CHECK(all["items"][2]["share"]["id"] == "shr_1");
    CHECK(all["items"][2]["share"]["sharedBy"] == "owner@example.org");
    CHECK_FALSE(all["items"][0].contains("share"));

    std::vector<std::string> ids;
    json params{{"limit", 2}};
    for (int page = 0; page < 5; ++page) {
        const json reply = f.call("credentials.list", params)["result"];
        for (const auto& item : reply["items"]) {
            ids.push_back(item["id"]);
        }
        if (!reply.contains("cursor")) {
            break;
        }
        params["cursor"] = reply["cursor"];
    }
    CHECK(ids == std::vector<std::string>{"1", "2", "3"});

    CHECK(f.call("credentials.list", {{"query", "GOOGLE.com"}})["result"]["items"].size() == 1);
    CHECK(f.call("credentials.list", {{"query", "alice"}})["result"]["items"].size() == 2);
    CHECK(f.call("credentials.list", {{"query", "nothing"}})["result"]["items"].empty());
    CHECK(f.call("credentials.list", {{"cursor", "99"}})["result"]["items"].empty());
    CHECK(f.call("credentials.list", {{"cursor", "-1"}})["error"]["field"] == "cursor");
    CHECK(f.call("credentials.list", {{"limit", 1001}})["error"]["field"] == "limit");
    CHECK(f.call("credentials.list", {{"query", 5}})["error"]["field"] == "query");
    f.call("vault.lock");
    CHECK(f.call("credentials.list")["error"]["code"] == "LOCKED");
}

TEST_CASE("credential writes: params are checked, received shares are FORBIDDEN, a backend without writes is "
          "UNSUPPORTED", "[actions][writes]") {
    Fixture f;
    f.sign_in_and_unlock();
    CHECK(f.call("credentials.create", {{"password", "p"}})["error"]["field"] == "name");
    CHECK(f.call("credentials.create", {{"name", ""}})["error"]["field"] == "name");
    CHECK(f.call("credentials.create", {{"name", "n"}, {"fields", "x"}})["error"]["field"] == "fields");
    CHECK(f.call("credentials.create", {{"name", "n"}, {"fields", {{{"name", "a"}}}}})["error"]["field"] == "fields");
    CHECK(f.call("credentials.create", {{"name", "n"}, {"expectedUpdatedAt", "x"}})["error"]["field"] ==
          "expectedUpdatedAt");
    CHECK(f.call("credentials.create", {{"name", "n"}, {"password", std::string(70'000, 'p')}})["error"]["field"] ==
          "password");
    CHECK(f.call("credentials.create", {{"name", "n"}, {"password", "p"}})["error"]["code"] == "UNSUPPORTED");
    CHECK(f.call("credentials.update", {{"id", "3"}, {"password", "p"}})["error"]["code"] == "FORBIDDEN");
    CHECK(f.call("credentials.delete", {{"id", "3"}})["error"]["code"] == "FORBIDDEN");
    CHECK(f.call("credentials.update", {{"id", "404"}, {"password", "p"}})["error"]["code"] == "NOT_FOUND");
    CHECK(f.call("credentials.delete", {{"id", "1"}})["error"]["code"] == "UNSUPPORTED");
    f.call("vault.lock");
    CHECK(f.call("credentials.create", {{"name", "n"}})["error"]["code"] == "LOCKED");
}

TEST_CASE("credentials.get says urls and fields; totp.code for a fill needs a matching url", "[actions][fields]") {
    Fixture f;
    f.sign_in_and_unlock();
    const json got = f.call("credentials.get", {{"id", "1"}, {"purpose", "view"}})["result"];
    CHECK(got["urls"] == json::array());
    CHECK(got["fields"] == json::array());
    CHECK(f.call("totp.code", {{"id", "1"}, {"purpose", "fill"}})["error"]["field"] == "url");
    CHECK(f.call("totp.code", {{"id", "1"}, {"purpose", "fill"}, {"url", "https://gitlab.com/"}})["error"]["code"] ==
          "URL_MISMATCH");
    CHECK(f.call("totp.code", {{"id", "1"}, {"purpose", "fill"}, {"url", "https://github.com/login"}})["result"]["code"]
              .is_string());
    CHECK(f.call("totp.code", {{"id", "1"}, {"purpose", "steal"}})["error"]["field"] == "purpose");
}
