// SPDX-License-Identifier: MIT
#include "host/native_messaging.hpp"

#include <fcntl.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <string_view>
#include <thread>

#include "host/program.hpp"
#include "log/log.hpp"
#include "messaging/server.hpp"

namespace pah {

namespace {

// The write end of the guard thread's pipe, once that thread runs; -1 before.
std::atomic<int> guard_pipe{-1};
static_assert(std::atomic<int>::is_always_lock_free, "read in a signal handler");

// SIGTERM, SIGINT and SIGHUP, on whatever thread they land. Before the guard thread runs
// the host has answered only hello and status, so it holds nothing secret and exits at
// once; after, the guard thread wipes and exits. Only async-signal-safe calls here.
extern "C" void on_shutdown_signal(int signal_number) {
    const int fd = guard_pipe.load(std::memory_order_acquire);
    if (fd < 0) {
        ::_exit(0);
    }
    const auto byte = static_cast<unsigned char>(signal_number);
    (void)!::write(fd, &byte, 1);
}

void install_shutdown_handler() {
    struct sigaction action {};
    action.sa_handler = on_shutdown_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (const int signal_number : {SIGTERM, SIGINT, SIGHUP}) {
        sigaddset(&action.sa_mask, signal_number);
    }
    for (const int signal_number : {SIGTERM, SIGINT, SIGHUP}) {
        sigaction(signal_number, &action, nullptr);
    }
}

// The thread that wipes every secret and exits on a shutdown signal. Started before the
// first request that may bring a secret (anything but hello and status), not at start:
// a start that answers only hello (every connectNative) does without it (5-6% of its CPU,
// docs/benchmarks.md).
void start_guard(Services* services) {
    static std::once_flag once;
    std::call_once(once, [services] {
        int fds[2] = {-1, -1};
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            log::warn("host", "no pipe for the signal guard: a shutdown signal exits without wiping");
            return;
        }
        std::thread([services, in = fds[0]] {
            unsigned char received = 0;
            while (::read(in, &received, 1) < 0 && errno == EINTR) {
            }
            log::info("host", "signal " + std::to_string(received) + ": wiping secrets and exiting");
            services->lock_all("shutdown");
            std::_Exit(0);
        }).detach();
        guard_pipe.store(fds[1], std::memory_order_release);
    });
}

}  // namespace

void run_native_messaging(const Caller& caller, Config config) {
    install_shutdown_handler();

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
    options.on_action = [services](std::string_view action) {
        if (action != "hello" && action != "status") {
            start_guard(services);
        }
    };
    auto* server = new MessageServer(STDIN_FILENO, STDOUT_FILENO, program->dispatcher(), std::move(options));
    services->set_events(server);

    server->run();
    // End of input: the browser is gone.
    services->lock_all("shutdown");
    std::_Exit(0);
}

}  // namespace pah
