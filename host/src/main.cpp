// SPDX-License-Identifier: MIT
// passagent-host: started by a browser (native messaging) or from a terminal (CLI).
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "cli/cli.hpp"
#include "config/caller.hpp"
#include "config/config.hpp"
#include "host/native_messaging.hpp"
#include "log/log.hpp"
#include "secure/hardening.hpp"

int main(int argc, char** argv) {
    if (!pah::harden_process()) {
        (void)std::fputs("passagent-host: libsodium could not be initialised\n", stderr);
        return 70;
    }
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    pah::Config config = pah::load_config();

    pah::log::Level level = pah::log::Level::Warn;
    if (const char* env = std::getenv("PASSAGENT_HOST_LOG")) {
        pah::log::parse_level(env, &level);
    } else if (config.log_level) {
        pah::log::parse_level(*config.log_level, &level);
    }
    pah::log::set_level(level);

    if (pah::looks_like_browser_start(args)) {
        pah::run_native_messaging(pah::caller_from_args(args), std::move(config));
    }
    return pah::cli::run(args, config);
}
