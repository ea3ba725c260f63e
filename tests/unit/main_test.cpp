// SPDX-License-Identifier: MIT
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "secure/hardening.hpp"

int main(int argc, char* argv[]) {
    if (!pah::harden_process()) {
        return 70;
    }
    return Catch::Session().run(argc, argv);
}
