// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"
#include "protocol/params.hpp"

namespace pah {

// What a handler sees of its request. Progress events go out before the final reply.
class RequestContext {
public:
    using ProgressFn = std::function<void(std::string_view event, nlohmann::json data)>;

    RequestContext(nlohmann::json id, const Params& params, ProgressFn progress)
        : id_(std::move(id)), params_(params), progress_(std::move(progress)) {}
    // It keeps a reference: a temporary (a json turned into Params) would dangle.
    RequestContext(nlohmann::json id, Params&& params, ProgressFn progress) = delete;

    [[nodiscard]] const nlohmann::json& id() const noexcept { return id_; }
    // The secret fields are apart: params::required_secret(ctx.params(), "password").
    [[nodiscard]] const Params& params() const noexcept { return params_; }
    void progress(std::string_view event, nlohmann::json data) const {
        if (progress_) {
            progress_(event, std::move(data));
        }
    }

private:
    nlohmann::json id_;
    const Params& params_;
    ProgressFn progress_;
};

using Handler = std::function<Result<nlohmann::json>(RequestContext&)>;

enum class RunOn {
    Reader,  // fast and never blocks (TOTP, match, status): runs on the reading thread
    Worker,  // may wait on the network or a KDF: runs on the worker pool
};

struct ActionSpec {
    Handler handler;
    RunOn run_on = RunOn::Worker;
    // The reply carries secrets: its JSON is wiped after it is written.
    bool sensitive_reply = false;
    // A person did something: restarts the idle auto-lock timer.
    bool user_activity = true;
};

// The one table from action name to handler. A vector sorted by name, not a map: built
// at every start (some fifty actions), where a map's node for each was an allocation.
class Dispatcher {
public:
    // Adds `name`, or replaces its spec when it is there. Only while the program is built
    // (Program's constructor): find's pointers into the vector are kept by requests in flight.
    void add(std::string name, ActionSpec spec);
    [[nodiscard]] const ActionSpec* find(std::string_view name) const;
    // In order of name.
    [[nodiscard]] std::vector<std::string> names() const;

private:
    struct Entry {
        std::string name;
        ActionSpec spec;
    };
    std::vector<Entry> table_;
};

}  // namespace pah
