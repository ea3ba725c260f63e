// SPDX-License-Identifier: MIT
// One frame's payload through the whole request path: parse, dispatch to the core
// actions (no account, so nothing touches the network), and the reply written to
// /dev/null. Nothing may crash or throw.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "host/program.hpp"
#include "messaging/server.hpp"
#include "protocol/envelope.hpp"
#include "secure/hardening.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = pah::harden_process();
    // Built once, as the host builds itself, but with no backend: no input reaches a server.
    static pah::Program* program = new pah::Program(pah::parse_config("{}"), {.backends = false});
    static const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    (void)ready;
    const std::string payload(reinterpret_cast<const char*>(data), size);

    nlohmann::json id;
    auto parsed = pah::parse_request(payload, &id);
    if (!parsed && !(id.is_null() || id.is_string() || id.is_number())) {
        __builtin_trap();
    }
    // The actions run on the reader thread or on the pool; one server serves every input
    // (starting worker threads per input cost more than the request itself), and each
    // input's requests finish before the next input. The payload is parsed once, here
    // (handle_payload is parse_request + handle_request): the second parse was a sixth
    // of the target's time.
    static pah::MessageServer* server = [] {
        pah::ServerOptions options;
        options.max_workers = 2;
        return new pah::MessageServer(-1, devnull, program->dispatcher(), options);
    }();
    server->handle_request(std::move(parsed), id);
    server->wait_idle();
    return 0;
}
