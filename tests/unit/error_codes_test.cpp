// SPDX-License-Identifier: MIT
// docs/error-codes.json is the one list the extension reads its codes from; it must be
// the host's own table, in its order, and docs/protocol.md must describe each code.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "protocol/error.hpp"

using namespace pah;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The host's table, in enum order: wire_name answers "INTERNAL" past the last code.
std::vector<std::string> host_codes() {
    std::vector<std::string> out;
    for (int i = 0; i < 256; ++i) {
        const auto code = static_cast<ErrorCode>(i);
        const std::string_view name = wire_name(code);
        if (name == "INTERNAL" && code != ErrorCode::Internal) {
            break;
        }
        out.emplace_back(name);
    }
    return out;
}

}  // namespace

TEST_CASE("docs/error-codes.json lists the host's error table in order", "[errors]") {
    const auto doc = nlohmann::json::parse(read_text(PAH_SOURCE_DIR "/docs/error-codes.json"));
    std::vector<std::string> listed;
    for (const auto& entry : doc.at("codes")) {
        listed.push_back(entry.at("code").get<std::string>());
    }
    CHECK(listed == host_codes());
}

TEST_CASE("docs/protocol.md describes every error code", "[errors]") {
    const std::string protocol = read_text(PAH_SOURCE_DIR "/docs/protocol.md");
    for (const auto& code : host_codes()) {
        CAPTURE(code);
        CHECK(protocol.find("| `" + code + "` |") != std::string::npos);
    }
}
