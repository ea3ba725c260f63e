// SPDX-License-Identifier: MIT
// session.login, session.logout.
#include "actions/actions.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

Result<json> login(Services& services, RequestContext& ctx) {
    auto backend_name = params::required_enum(ctx.params(), "backend",
                                              {"passagent", "passman", "passwork"});
    if (!backend_name) {
        return std::unexpected(backend_name.error());
    }
    auto remember = params::optional_bool(ctx.params().json(), "remember");
    if (!remember) {
        return std::unexpected(remember.error());
    }
    auto backend = services.accounts().create(*backend_name, services.config());
    if (!backend) {
        return std::unexpected(backend.error());
    }
    // The password (and 2FA code) stay in the request's locked memory.
    auto user = (*backend)->login(ctx.params());
    if (!user) {
        return std::unexpected(user.error());
    }
    std::shared_ptr<Backend> shared = std::move(*backend);
    const std::string id = services.accounts().put(shared);
    services.match_cache().forget(id);
    log::info("session", "signed in: " + std::string(shared->kind()) + " account");
    json out = std::move(*user);
    out["account"] = id;
    const SignInStores& stores = services.sign_in_stores();
    if (remember->value_or(false)) {
        // The sign-in stands whether or not it can be remembered.
        auto kept = shared->remember(stores, id);
        out["remembered"] = kept.has_value();
        if (!kept) {
            log::warn("session", "the sign-in is not remembered: " + kept.error().message);
            out["rememberError"] = {{"code", wire_name(kept.error().code)},
                                    {"message", kept.error().message}};
        }
    } else {
        if (services.remembered_in_facts(id)) {
            services.forget_sign_in(id);  // signed in again without remember: the old one goes
        }
        out["remembered"] = false;
    }
    return out;
}

Result<json> logout(Services& services, RequestContext& ctx) {
    auto ref = services.accounts().resolve(ctx.params().json());
    if (!ref) {
        return std::unexpected(ref.error());
    }
    auto backend = services.accounts().remove(ref->id);
    services.match_cache().forget(ref->id);
    const bool was_unlocked = backend && backend->info().unlocked;
    if ((backend && backend->info().remembered) || services.remembered_in_facts(ref->id)) {
        services.forget_sign_in(ref->id);
    }
    if (backend) {
        backend->lock();
        // The local session ends even if the server cannot be told.
        if (auto done = backend->logout(); !done) {
            log::warn("session", "the server was not told of the sign-out");
        }
    }
    services.vault_state_changed();
    if (was_unlocked) {
        services.push("locked", {{"account", ref->id}, {"reason", "logout"}});
    }
    return json::object();
}

}  // namespace

void register_session(Dispatcher& dispatcher, Services& services) {
    dispatcher.add("session.login",
                   {.handler = [&services](RequestContext& ctx) { return login(services, ctx); }});
    dispatcher.add("session.logout",
                   {.handler = [&services](RequestContext& ctx) { return logout(services, ctx); }});
}

}  // namespace pah::actions
