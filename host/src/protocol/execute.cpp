// SPDX-License-Identifier: MIT
#include "protocol/execute.hpp"

#include <new>

#include "log/log.hpp"

namespace pah {

using nlohmann::json;

json execute_request(const ActionSpec& spec, Request& request,
                     RequestContext::ProgressFn progress) {
    RequestContext ctx(request.id, request.params, std::move(progress));
    try {
        Result<json> result = spec.handler(ctx);
        if (result) {
            json value = std::move(*result);
            if (value.is_null()) {
                value = json::object();
            }
            return make_ok(request.id, std::move(value));
        }
        return make_error(request.id, result.error());
    } catch (const std::bad_alloc&) {
        log::error("dispatch", "out of memory in action " + request.action);
        return make_error(request.id, Error{ErrorCode::Internal,
                                           "The host ran out of memory. Try again."});
    } catch (...) {
        // what() is not logged: a library's message may quote the data it choked on.
        log::error("dispatch", "unexpected exception in action " + request.action);
        return make_error(request.id,
                          Error{ErrorCode::Internal,
                                "Something went wrong inside the host. It is still running; "
                                "try again, and report it if it repeats."});
    }
}

}  // namespace pah
