// SPDX-License-Identifier: MIT
// passagent-host call <action> [params-json]: one request through the same dispatch.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "cli/cli.hpp"
#include "host/program.hpp"
#include "protocol/envelope.hpp"
#include "protocol/execute.hpp"

namespace pah::cli {

using nlohmann::json;

int call_command(Args args, const Config& config) {
    if (args.empty() || args.size() > 2) {
        (void)std::fprintf(stderr, "usage: passagent-host call <action> [params-json]\n");
        return 2;
    }
    Request request;
    request.id = 1;
    request.action = std::string(args[0]);
    if (args.size() == 2) {
        json params = json::parse(args[1], nullptr, false);
        if (params.is_discarded() || !params.is_object()) {
            (void)std::fprintf(
                stderr,
                "passagent-host: params must be a JSON object, e.g. '{\"url\": \"https://example.com\"}'\n");
            return 2;
        }
        request.params = Params(std::move(params));
    }
    const Program program(config);
    json reply;
    if (const ActionSpec* spec = program.dispatcher().find(request.action)) {
        reply = execute_request(*spec, request, [](std::string_view event, json data) {
            const std::string line = make_progress(1, event, std::move(data)).dump() + '\n';
            (void)std::fputs(line.c_str(), stderr);
        });
    } else {
        reply = make_error(request.id, Error{ErrorCode::UnknownAction,
                                             "Unknown action \"" + request.action + "\"."});
    }
    request.params.wipe();
    // stdio, not <iostream>: its static initialiser would run at every start of the host.
    std::string text = reply.dump(2, ' ', false, json::error_handler_t::replace) + '\n';
    (void)std::fwrite(text.data(), 1, text.size(), stdout);
    (void)std::fflush(stdout);
    sodium_memzero(text.data(), text.size());
    const bool ok = reply.value("ok", false);
    wipe_json(reply);
    return ok ? 0 : 1;
}

}  // namespace pah::cli
