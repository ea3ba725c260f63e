// SPDX-License-Identifier: MIT
#include "host/native_messaging.hpp"

#include <pthread.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <csignal>
#include <cstdlib>
#include <thread>

#include "host/program.hpp"
#include "log/log.hpp"
#include "messaging/server.hpp"

namespace pah {

namespace {

sigset_t shutdown_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

void run_native_messaging(const Caller& caller, Config config) {
    // Block the shutdown signals before any thread starts, so that only the signal
    // thread receives them.
    sigset_t signals = shutdown_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

#ifdef __GLIBC__
    // Blocks of 128 KiB and more (an open vault's item list, a sync's page bodies) come
    // from mmap and go back to the system when freed. By default glibc raises that
    // threshold after the first large free, and then keeps free memory of up to twice the
    // new threshold at the top of a worker thread's heap, where malloc_trim does not reach:
    // several MiB that a re-sync would add to the resident size.
    // Set before the loop starts any thread, so mallopt's lack of thread safety is moot.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // NOLINT(concurrency-mt-unsafe): no other thread yet
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);  // NOLINT(concurrency-mt-unsafe): no other thread yet
#endif

    const bool allowed = is_allowed(caller, config);
    if (!allowed) {
        log::warn("caller", "refusing " + caller.describe() + ": not in the allow-list");
    }
    if (config.error) {
        log::warn("config", *config.error);
    }
    const std::size_t max_frame = config.max_frame_bytes;

    // Owned for the life of the process: it ends with _Exit, never by unwinding, because
    // a worker may be waiting on the network.
    auto* program = new Program(std::move(config));
    Services* services = &program->services();

    ServerOptions options;
    options.max_incoming_frame = max_frame;
    options.caller_allowed = allowed;
    options.refused_caller = caller.describe();
    options.on_user_activity = [services] { services->auto_lock().touch(); };
    auto* server = new MessageServer(STDIN_FILENO, STDOUT_FILENO, program->dispatcher(), std::move(options));
    services->set_events(server);

    std::thread([services, signals] {
        int received = 0;
        sigwait(&signals, &received);
        log::info("host", "signal " + std::to_string(received) + ": wiping secrets and exiting");
        services->lock_all("shutdown");
        std::_Exit(0);
    }).detach();

    server->run();
    // End of input: the browser is gone.
    services->lock_all("shutdown");
    std::_Exit(0);
}

}  // namespace pah
