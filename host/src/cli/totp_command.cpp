// SPDX-License-Identifier: MIT
#include <array>
#include <cstdio>
#include <cstring>
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
        (void)std::fprintf(stderr, "usage: passagent-host totp <base32-secret | otpauth-uri | ->\n");
        return 2;
    }
    // stdio, not <iostream>: its static initialiser would run at every start of the host.
    std::array<char, kMaxStdinSecret + 2> line{};
    std::string_view input = args[0];
    if (input == "-") {
        std::size_t length = 0;
        if (std::fgets(line.data(), static_cast<int>(line.size()), stdin) != nullptr) {
            length = std::strlen(line.data());
        }
        const bool newline = length > 0 && line[length - 1] == '\n';
        if (length == 0 || (!newline && length > kMaxStdinSecret)) {
            sodium_memzero(line.data(), line.size());
            (void)std::fprintf(stderr, "passagent-host totp: no secret on stdin\n");
            return 1;
        }
        input = std::string_view(line.data(), newline ? length - 1 : length);
    }
    auto parsed = parse_totp_input(input);
    sodium_memzero(line.data(), line.size());
    if (!parsed) {
        (void)std::fprintf(stderr, "passagent-host totp: %s\n", parsed.error().message.c_str());
        return 1;
    }
    const TotpCode code = totp_now(parsed->key.span(), parsed->params);
    (void)std::printf("%s\n", code.code.c_str());
    (void)std::fflush(stdout);
    (void)std::fprintf(stderr, "%u seconds left\n", code.remaining);
    return 0;
}

}  // namespace pah::cli
