// SPDX-License-Identifier: MIT
// libsecret, loaded on first use (io/lazy_library.hpp, as libcurl is): its headers give
// the types, dlsym the functions. The calls are libsecret's synchronous ones, each
// run on a thread of its own with a GCancellable, so that the caller waits at most the
// timeout and then cancels: a Secret Service that never answers (a locked keyring whose
// prompt nobody sees) costs a few seconds, not a hung request.
#include "store/secret_store.hpp"

#include <libsecret/secret.h>

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <sodium.h>

#include "io/lazy_library.hpp"

namespace pah::store {

namespace {

using namespace std::chrono_literals;

struct LibSecret {
    gboolean (*store_sync)(const SecretSchema*, const gchar*, const gchar*, const gchar*, GCancellable*, GError**,
                           ...) = nullptr;
    gchar* (*lookup_sync)(const SecretSchema*, GCancellable*, GError**, ...) = nullptr;
    gboolean (*clear_sync)(const SecretSchema*, GCancellable*, GError**, ...) = nullptr;
    void (*password_wipe)(gchar*) = nullptr;
    void (*password_free)(gchar*) = nullptr;
    GCancellable* (*cancellable_new)() = nullptr;
    void (*cancellable_cancel)(GCancellable*) = nullptr;
    void (*object_unref)(gpointer) = nullptr;
    void (*error_free)(GError*) = nullptr;
    bool ok = false;
    std::string why;  // when !ok
};

io::LazyLibrary g_libsecret("libsecret", "libsecret-1.so.0", "libsecret-1-0");

template <class Fn>
bool bind_symbol(Fn& out, const char* symbol, std::string& why) {
    auto fn = g_libsecret.function<Fn>(symbol);
    if (!fn) {
        why = std::move(fn.error());
        return false;
    }
    out = *fn;
    return true;
}

LibSecret load() {
    LibSecret s;
    // Symbols of libsecret's dependencies (GLib, GIO) are found through its handle too.
    s.ok = bind_symbol(s.store_sync, "secret_password_store_sync", s.why) &&
           bind_symbol(s.lookup_sync, "secret_password_lookup_sync", s.why) &&
           bind_symbol(s.clear_sync, "secret_password_clear_sync", s.why) &&
           bind_symbol(s.password_wipe, "secret_password_wipe", s.why) &&
           bind_symbol(s.password_free, "secret_password_free", s.why) &&
           bind_symbol(s.cancellable_new, "g_cancellable_new", s.why) &&
           bind_symbol(s.cancellable_cancel, "g_cancellable_cancel", s.why) &&
           bind_symbol(s.object_unref, "g_object_unref", s.why) && bind_symbol(s.error_free, "g_error_free", s.why);
    return s;
}

const LibSecret& libsecret() {
    static const LibSecret loaded = load();
    return loaded;
}

// One item per account id; "application" keeps our items apart in a shared keyring.
const SecretSchema kSchema = {
    "ai.passagent.host.SignIn",
    SECRET_SCHEMA_DONT_MATCH_NAME,
    {
        {"application", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"account", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
    },
    0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

constexpr const char* kApplication = "passagent-host";

std::unexpected<Error> unsupported(const std::string& why) {
    return fail(ErrorCode::Unsupported, "The desktop's Secret Service cannot be used: " + why +
                                            ". Sign-in is not remembered; you will be asked again next time.");
}

// The session bus must be there before libsecret is asked: without one, GIO may try to
// start a bus of its own.
bool has_session_bus() {
    if (const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS"); address != nullptr && *address != '\0') {
        return true;
    }
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && *runtime != '\0') {
        std::error_code ec;
        return std::filesystem::exists(std::filesystem::path(runtime) / "bus", ec);
    }
    return false;
}

// What a call on its own thread shares with the caller, who may have given up waiting.
struct Call {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    bool abandoned = false;
    GCancellable* cancellable = nullptr;
    std::string error;         // GError's message, empty when none
    bool succeeded = false;    // store/clear
    SecretBuffer found;        // lookup
    bool has_found = false;
    SecretBuffer secret_in;    // store: the secret, NUL-terminated for libsecret
    std::string account;
    std::string label;
};

// Runs `body` on its own thread and waits at most `timeout`. After that the call is
// cancelled and left to finish alone (it wipes whatever it gets).
Result<void> run_bounded(const std::shared_ptr<Call>& call, std::chrono::milliseconds timeout,
                         const std::function<void(Call&)>& body) {
    const LibSecret& s = libsecret();
    call->cancellable = s.cancellable_new();
    std::thread([call, body, &s] {
        body(*call);
        const std::lock_guard lock(call->mu);
        call->done = true;
        if (call->abandoned) {
            call->found.reset();
        }
        s.object_unref(call->cancellable);
        call->cancellable = nullptr;
        call->cv.notify_all();
    }).detach();

    std::unique_lock lock(call->mu);
    if (!call->cv.wait_for(lock, timeout, [&] { return call->done; })) {
        call->abandoned = true;
        s.cancellable_cancel(call->cancellable);
        return unsupported("no Secret Service answered within " +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                           " s (is the keyring locked, or no keyring daemon running?)");
    }
    if (!call->error.empty()) {
        return unsupported(call->error);
    }
    return {};
}

void take_error(const LibSecret& s, GError* error, Call& call) {
    if (error != nullptr) {
        call.error = error->message != nullptr ? error->message : "unknown error";
        s.error_free(error);
    }
}

class LibSecretStore final : public SecretStore {
public:
    explicit LibSecretStore(std::chrono::milliseconds timeout) : timeout_(timeout) {}

    Result<void> store(std::string_view account, std::string_view label, const SecretBuffer& secret) override {
        if (auto ready = ready_or_why(); !ready) {
            return ready;
        }
        if (std::memchr(secret.data(), '\0', secret.size()) != nullptr) {
            return fail(ErrorCode::BadRequest, "This secret holds a NUL byte and cannot be kept in the keyring.");
        }
        auto call = std::make_shared<Call>();
        call->account = account;
        call->label = label;
        call->secret_in = SecretBuffer(secret.size() + 1);
        std::memcpy(call->secret_in.data(), secret.data(), secret.size());
        return run_bounded(call, timeout_, [](Call& c) {
            const LibSecret& s = libsecret();
            GError* error = nullptr;
            c.succeeded = s.store_sync(&kSchema, SECRET_COLLECTION_DEFAULT, c.label.c_str(),
                                       reinterpret_cast<const gchar*>(c.secret_in.data()), c.cancellable, &error,
                                       "application", kApplication, "account", c.account.c_str(),
                                       static_cast<const char*>(nullptr)) != FALSE;
            c.secret_in.reset();
            take_error(s, error, c);
            if (!c.succeeded && c.error.empty()) {
                c.error = "the Secret Service refused to store the secret";
            }
        });
    }

    Result<std::optional<SecretBuffer>> lookup(std::string_view account) override {
        if (auto ready = ready_or_why(); !ready) {
            return std::unexpected(ready.error());
        }
        auto call = std::make_shared<Call>();
        call->account = account;
        auto done = run_bounded(call, timeout_, [](Call& c) {
            const LibSecret& s = libsecret();
            GError* error = nullptr;
            gchar* password = s.lookup_sync(&kSchema, c.cancellable, &error, "application", kApplication, "account",
                                            c.account.c_str(), static_cast<const char*>(nullptr));
            take_error(s, error, c);
            if (password != nullptr) {
                // Into locked memory, then libsecret's copy wiped before it is freed.
                c.found = SecretBuffer::copy_of(std::string_view(password));
                c.has_found = true;
                s.password_wipe(password);
                s.password_free(password);
            }
        });
        if (!done) {
            return std::unexpected(done.error());
        }
        const std::lock_guard lock(call->mu);
        if (!call->has_found) {
            return std::optional<SecretBuffer>{};
        }
        return std::optional<SecretBuffer>(std::move(call->found));
    }

    Result<void> clear(std::string_view account) override {
        if (auto ready = ready_or_why(); !ready) {
            return ready;
        }
        auto call = std::make_shared<Call>();
        call->account = account;
        return run_bounded(call, timeout_, [](Call& c) {
            const LibSecret& s = libsecret();
            GError* error = nullptr;
            // FALSE without an error means there was nothing to remove.
            (void)s.clear_sync(&kSchema, c.cancellable, &error, "application", kApplication, "account",
                               c.account.c_str(), static_cast<const char*>(nullptr));
            take_error(s, error, c);
        });
    }

    Result<void> probe() override {
        // A lookup of an item that never exists: answered only by a running service.
        auto found = lookup("\x01probe");
        if (!found) {
            return std::unexpected(found.error());
        }
        return {};
    }

private:
    Result<void> ready_or_why() const {
        if (!has_session_bus()) {
            return unsupported("there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
        }
        const LibSecret& s = libsecret();
        if (!s.ok) {
            return unsupported(s.why);
        }
        return {};
    }

    std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<SecretStore> make_libsecret_store(std::chrono::milliseconds timeout) {
    return std::make_unique<LibSecretStore>(timeout);
}

bool libsecret_loaded() noexcept { return g_libsecret.opened(); }

}  // namespace pah::store
