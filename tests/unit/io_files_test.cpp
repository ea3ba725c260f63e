// SPDX-License-Identifier: MIT
// io::read_file and io::read_head: the loop they share, a file's size against the cap.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "io/files.hpp"
#include "support/process.hpp"

using namespace pah;
namespace fs = std::filesystem;

using pah::testing::TempDir;

TEST_CASE("read_head gives a file's first bytes, or all of a shorter file", "[io]") {
    const TempDir dir;
    const fs::path elf = dir.write("elf", std::string("\177ELF\2\1\1"));
    const fs::path short_script = dir.write("short", "#!");
    const fs::path empty = dir.write("empty", "");

    CHECK(io::read_head(elf, 4) == std::string("\177ELF"));
    CHECK(io::read_head(short_script, 4) == std::string("#!"));
    CHECK(io::read_head(empty, 4) == std::string());
    CHECK(io::read_head(elf, 0) == std::string());
}

TEST_CASE("read_head is nothing for a file that is missing or cannot be read", "[io]") {
    const TempDir dir;
    CHECK_FALSE(io::read_head(fs::path(dir.path()) / "missing", 4).has_value());
    CHECK_FALSE(io::read_head(fs::path(dir.path()), 4).has_value());  // a directory: read() fails
}

TEST_CASE("read_file gives the whole file up to the cap and nothing over it", "[io]") {
    const TempDir dir;
    const std::string text(5000, 'x');
    const fs::path file = dir.write("text", text);

    CHECK(io::read_file(file, 5000) == text);
    CHECK_FALSE(io::read_file(file, 4999).has_value());
    CHECK(io::read_file(dir.write("empty", ""), 10) == std::string());
    CHECK_FALSE(io::read_file(fs::path(dir.path()) / "missing", 10).has_value());
    CHECK_FALSE(io::read_file(fs::path(dir.path()), 10).has_value());  // not a regular file
}
