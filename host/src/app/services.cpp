// SPDX-License-Identifier: MIT
#include "app/services.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "backends/remembered.hpp"
#include "log/log.hpp"
#include "store/account_facts.hpp"
#include "store/secret_store.hpp"

namespace pah {

Services::Services(Config config)
    : config_(std::move(config)),
      share_views_(config_.state_dir),
      sign_in_stores_{std::shared_ptr<store::SecretStore>(store::make_libsecret_store()),
                      std::make_shared<store::AccountFactsStore>(config_.state_dir)},
      auto_lock_([this] { lock_all("idle"); }),
      sync_timer_([this](const std::string& account) { return background_sync(account); }) {
    auto_lock_.set_timeout(std::chrono::milliseconds(
        static_cast<std::int64_t>(config_.auto_lock_minutes * 60'000.0)));
    sync_timer_.set_interval(
        std::chrono::milliseconds(static_cast<std::int64_t>(config_.sync_minutes * 60'000.0)));
}

Services::~Services() { accounts_.lock_all(); }

bool Services::remembered_in_facts(std::string_view account) const {
    auto facts = sign_in_stores_.facts->load();
    if (!facts) {
        return false;
    }
    for (const auto& known : *facts) {
        if (known.account == account) {
            return known.remembered;
        }
    }
    return false;
}

void Services::forget_sign_in(std::string_view account) { pah::forget_sign_in(sign_in_stores_, account); }

void Services::restore_remembered() {
    auto facts = sign_in_stores_.facts->load();
    if (!facts) {
        log::warn("session", "remembered sign-ins not read: " + facts.error().message);
        return;
    }
    for (const store::AccountFacts& account : *facts) {
        if (!account.remembered) {
            continue;
        }
        auto backend = accounts_.create(account.backend, config_);
        if (!backend) {
            continue;
        }
        if (auto restored = (*backend)->restore(account, sign_in_stores_); !restored) {
            log::warn("session", "a remembered " + account.backend +
                                     " sign-in was not restored: " + restored.error().message);
            continue;
        }
        accounts_.put(std::shared_ptr<Backend>(std::move(*backend)));
    }
}

void Services::push(std::string_view event, nlohmann::json data) {
    if (EventSink* sink = events_.load()) {
        sink->push(event, std::move(data));
    }
}

void Services::backend_push(std::string_view event, nlohmann::json data) {
    if ((event == "locked" || event == "session-expired") && data.is_object()) {
        if (const auto account = data.find("account"); account != data.end() && account->is_string()) {
            match_cache_.forget(account->get<std::string>());
        }
        vault_state_changed();
    }
    push(event, std::move(data));
}

void Services::items_changed(const AccountRef& ref) {
    match_cache_.get(ref.id, ref.backend->items());
#ifdef __GLIBC__
    // The previous item list went with the old index just now; the sync's pages before.
    // Both were small blocks in the middle of the heap, which free() keeps.
    (void)malloc_trim(0);  // 1 when memory went back to the system: nothing to do either way
#endif
}

namespace {

// Whether two snapshots show the same entries (a background sync pushes only changes).
bool same_items(const ItemList* a, const ItemList* b) {
    if (a == b) {
        return true;
    }
    if (a == nullptr || b == nullptr || a->size() != b->size()) {
        return false;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
        const ItemSummary& x = (*a)[i];
        const ItemSummary& y = (*b)[i];
        if (x.id != y.id || x.updated_at != y.updated_at || x.name != y.name || x.username != y.username ||
            x.url != y.url || x.website != y.website || x.has_totp != y.has_totp) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool Services::background_sync(const std::string& account) {
    auto ref = accounts_.resolve(nlohmann::json{{"account", account}});
    if (!ref || !ref->backend->info().unlocked) {
        return false;
    }
    auto before = ref->backend->items();
    auto items = ref->backend->sync([this, &account](std::string_view event, nlohmann::json data) {
        data["account"] = account;
        push(event, std::move(data));
    });
    if (!items) {
        const ErrorCode code = items.error().code;
        if (code == ErrorCode::Locked || code == ErrorCode::NotLoggedIn) {
            return false;
        }
        log::info("sync", "a background sync failed: " + items.error().message);
        push("sync", {{"account", account}, {"complete", false}, {"error", to_wire(items.error())}});
        return true;
    }
    const bool changed = !same_items(before.get(), ref->backend->items().get());
    // The list from before the sync goes now, with the old match index (items_changed),
    // and so before malloc_trim: held until the end of this function, it kept a whole
    // vault's summaries resident after every re-sync.
    before.reset();
    items_changed(*ref);
    if (changed) {
        push("items-changed", {{"account", account}, {"items", *items}});
    }
    return true;
}

void Services::lock_all(std::string_view reason) {
    const auto locked = accounts_.lock_all();
    match_cache_.clear();  // it holds the item lists: names, usernames, addresses
    auto_lock_.disarm();
    if (!locked.empty()) {
        log::info("vault", "locked " + std::to_string(locked.size()) + " vault(s): " +
                               std::string(reason));
    }
    for (const auto& id : locked) {
        push("locked", {{"account", id}, {"reason", std::string(reason)}});
    }
}

void Services::vault_state_changed() {
    for (const auto& ref : accounts_.all()) {
        if (ref.backend->info().unlocked) {
            auto_lock_.arm();
            return;
        }
    }
    auto_lock_.disarm();
}

}  // namespace pah
