// SPDX-License-Identifier: MIT
#include <cstdio>
#include <iostream>
#include <string>

#include <sodium.h>

#include "cli/cli.hpp"
#include "totp/otpauth.hpp"
#include "totp/totp.hpp"

namespace pah::cli {

namespace {

constexpr std::size_t kMaxStdinSecret = 8192;

}  // namespace

// `passagent-host totp <base32-secret | otpauth-uri | ->`: a drop-in for
// `oathtool --totp -b`: stdout carries the code alone on one line; the seconds left go
// to stderr so that `code=$(passagent-host totp ...)` captures just the code. With "-"
// the secret is read from the first line of stdin (keeps it out of `ps`).
int totp_command(Args args, const Config&) {
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: passagent-host totp <base32-secret | otpauth-uri | ->\n");
        return 2;
    }
    std::string from_stdin;
    std::string_view input = args[0];
    if (input == "-") {
        if (!std::getline(std::cin, from_stdin) || from_stdin.size() > kMaxStdinSecret) {
            std::fprintf(stderr, "passagent-host totp: no secret on stdin\n");
            return 1;
        }
        input = from_stdin;
    }
    auto parsed = parse_totp_input(input);
    if (!from_stdin.empty()) {
        sodium_memzero(from_stdin.data(), from_stdin.size());
    }
    if (!parsed) {
        std::fprintf(stderr, "passagent-host totp: %s\n", parsed.error().message.c_str());
        return 1;
    }
    const TotpCode code = totp_now(parsed->key.span(), parsed->params);
    std::printf("%s\n", code.code.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "%u seconds left\n", code.remaining);
    return 0;
}

}  // namespace pah::cli
