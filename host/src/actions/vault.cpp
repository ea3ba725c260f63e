// SPDX-License-Identifier: MIT
// vault.unlock, vault.lock, vault.sync.
#include "actions/actions.hpp"
#include "actions/share_views.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

Result<json> unlock(Services& services, RequestContext& ctx) {
    auto ref = services.accounts().resolve(ctx.params().json());
    if (!ref) {
        return std::unexpected(ref.error());
    }
    auto items = ref->backend->unlock(
        ctx.params(), [&ctx](std::string_view event, json data) { ctx.progress(event, std::move(data)); });
    if (!items) {
        return std::unexpected(items.error());
    }
    services.vault_state_changed();
    services.items_changed(*ref);
    flush_share_views(services, *ref);
    services.push("unlocked", {{"account", ref->id}, {"items", *items}});
    // Opened without a sync (from the local copy, or before a first sync): synced in the
    // background at once; either way re-synced every syncMinutes while it stays open.
    services.sync_timer().unlocked(ref->id, ref->backend->info().from_copy);
    return json{{"account", ref->id}, {"items", *items}};
}

Result<json> lock(Services& services, RequestContext& ctx) {
    auto ref = services.accounts().resolve(ctx.params().json());
    if (!ref) {
        return std::unexpected(ref.error());
    }
    const bool was_unlocked = ref->backend->info().unlocked;
    ref->backend->lock();
    services.match_cache().forget(ref->id);
    services.vault_state_changed();
    if (was_unlocked) {
        services.push("locked", {{"account", ref->id}, {"reason", "user"}});
    }
    return json::object();
}

Result<json> sync(Services& services, RequestContext& ctx) {
    auto ref = services.accounts().resolve(ctx.params().json());
    if (!ref) {
        return std::unexpected(ref.error());
    }
    auto items = ref->backend->sync(
        [&ctx](std::string_view event, json data) { ctx.progress(event, std::move(data)); });
    if (!items) {
        return std::unexpected(items.error());
    }
    services.items_changed(*ref);
    flush_share_views(services, *ref);
    return json{{"account", ref->id}, {"items", *items}};
}

}  // namespace

void register_vault(Dispatcher& dispatcher, Services& services) {
    dispatcher.add("vault.unlock",
                   {.handler = [&services](RequestContext& ctx) { return unlock(services, ctx); }});
    dispatcher.add("vault.lock",
                   {.handler = [&services](RequestContext& ctx) { return lock(services, ctx); },
                    .run_on = RunOn::Reader});
    dispatcher.add("vault.sync",
                   {.handler = [&services](RequestContext& ctx) { return sync(services, ctx); }});
}

}  // namespace pah::actions
