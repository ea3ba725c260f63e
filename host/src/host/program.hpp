// SPDX-License-Identifier: MIT
#pragma once

#include "app/services.hpp"
#include "config/config.hpp"
#include "protocol/dispatcher.hpp"

namespace pah {

struct ProgramOptions {
    // Off for the request fuzz target: no input may reach a server.
    bool backends = true;
};

// The composition root: the one place that builds the program from a config. The
// browser loop, the `call` command and the request fuzz target all start here.
class Program {
public:
    explicit Program(Config config, ProgramOptions options = {});
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    Services& services() noexcept { return services_; }
    [[nodiscard]] const Dispatcher& dispatcher() const noexcept { return dispatcher_; }

private:
    Services services_;
    Dispatcher dispatcher_;
};

}  // namespace pah
