// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

#include <sodium.h>

#include "store/vault_copy.hpp"

using pah::ErrorCode;
using pah::store::CopyRecord;
using pah::store::VaultCopy;
using pah::store::VaultCopyStore;

namespace {

struct TempDir {
    std::filesystem::path root;
    TempDir() {
        REQUIRE(sodium_init() >= 0);
        std::array<unsigned char, 8> r{};
        randombytes_buf(r.data(), r.size());
        std::array<char, 17> hex{};
        sodium_bin2hex(hex.data(), hex.size(), r.data(), r.size());
        root = std::filesystem::temp_directory_path() / ("pah-vc-" + std::string(hex.data()));
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
};

VaultCopy sample_copy(std::size_t records = 3) {
    VaultCopy copy;
    copy.backend = "passagent";
    copy.account = "passagent:alice@example.org@http://127.0.0.1:8080";
    copy.server = "http://127.0.0.1:8080";
    copy.saved_at = 1'780'000'000;
    copy.full_listing_at = 1'779'999'000;
    copy.cursor = "rec-0002";
    copy.set_meta("salt", std::string("\x00\x01\x02\xff", 4));
    copy.set_meta("kdf", R"({"algorithm":"argon2id","memoryKiB":65536,"iterations":3,"parallelism":4})");
    for (std::size_t i = 0; i < records; ++i) {
        CopyRecord r;
        r.id = "rec-" + std::to_string(i);
        r.updated_at = "2026-12-0" + std::to_string(i % 9 + 1) + "T10:00:00Z";
        r.kind = static_cast<std::uint8_t>(i % 3);
        r.fields = {"name " + std::to_string(i), "example.org", std::string(60, static_cast<char>('a' + i % 26)),
                    std::string("\0binary\xff", 8)};
        copy.records.push_back(std::move(r));
    }
    return copy;
}

std::string bytes_of(const VaultCopy& copy) {
    auto bytes = pah::store::serialize_vault_copy(copy);
    REQUIRE(bytes);
    return *bytes;
}

// Recomputes the trailing BLAKE2b-256, so that a test can damage the content itself.
std::string rehash(std::string bytes) {
    REQUIRE(bytes.size() >= 32);
    bytes.resize(bytes.size() - 32);
    std::array<unsigned char, 32> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       nullptr, 0);
    bytes.append(reinterpret_cast<const char*>(h.data()), h.size());
    return bytes;
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
    }
}

}  // namespace

TEST_CASE("a vault copy reads back exactly as it was written", "[store][vault_copy]") {
    const VaultCopy copy = sample_copy();
    auto back = pah::store::parse_vault_copy(bytes_of(copy));
    REQUIRE(back);
    CHECK(*back == copy);
    REQUIRE(back->find_meta("salt") != nullptr);
    CHECK(*back->find_meta("salt") == std::string("\x00\x01\x02\xff", 4));
    CHECK(back->find_meta("verifier") == nullptr);
}

TEST_CASE("an empty vault copy reads back", "[store][vault_copy]") {
    VaultCopy copy;
    copy.account = "a";
    auto back = pah::store::parse_vault_copy(bytes_of(copy));
    REQUIRE(back);
    CHECK(*back == copy);
}

TEST_CASE("set_meta replaces a value of the same name", "[store][vault_copy]") {
    VaultCopy copy;
    copy.set_meta("salt", "one");
    copy.set_meta("salt", "two");
    REQUIRE(copy.meta.size() == 1);
    CHECK(*copy.find_meta("salt") == "two");
}

TEST_CASE("the loader refuses another file, another version, damage and a cut", "[store][vault_copy]") {
    const std::string good = bytes_of(sample_copy());
    const auto refused = [](const std::string& bytes) {
        auto r = pah::store::parse_vault_copy(bytes);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::BadFormat);
        return r.error().message;
    };

    CHECK_THAT(refused("{\"version\":1}"), Catch::Contains("not a vault copy"));
    CHECK_THAT(refused(""), Catch::Contains("not a vault copy"));
    CHECK_THAT(refused("PAHVAULT"), Catch::Contains("cut short"));

    std::string newer = good;
    put_u32(newer, 8, 2);
    CHECK_THAT(refused(rehash(newer)), Catch::Contains("version 2"));

    std::string flipped = good;
    flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 0x40);
    CHECK_THAT(refused(flipped), Catch::Contains("checksum"));

    CHECK_THAT(refused(good.substr(0, good.size() - 1)), Catch::Contains("checksum"));
    CHECK_THAT(refused(rehash(good.substr(0, good.size() - 40) + std::string(32, '\0'))),
               Catch::Contains("ends inside"));
    CHECK_THAT(refused(rehash(good.substr(0, good.size() - 32) + "x" + std::string(32, '\0'))),
               Catch::Contains("after its last record"));
}

TEST_CASE("the loader refuses a length past its bound before allocating it", "[store][vault_copy]") {
    // The backend's length sits right after magic and version.
    std::string bytes = bytes_of(sample_copy());
    put_u32(bytes, 12, 0xffffffffU);
    auto r = pah::store::parse_vault_copy(rehash(bytes));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("more than its bound"));
}

TEST_CASE("the loader refuses a record count the file cannot hold", "[store][vault_copy]") {
    VaultCopy copy = sample_copy(0);
    std::string bytes = bytes_of(copy);
    // The record count is the last u32 before the hash when there are no records.
    put_u32(bytes, bytes.size() - 32 - 4, 1'000'000);
    auto r = pah::store::parse_vault_copy(rehash(bytes));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("more than it can hold"));
}

TEST_CASE("a copy past the format's bounds is refused when written", "[store][vault_copy]") {
    VaultCopy copy = sample_copy(1);
    copy.records[0].fields.resize(pah::store::kMaxCopyFields + 1);
    auto r = pah::store::serialize_vault_copy(copy);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BadRequest);
}

TEST_CASE("the record-by-record writer makes the same bytes and holds to its count", "[store][vault_copy]") {
    const VaultCopy copy = sample_copy(3);
    const auto add_all = [&copy](pah::store::VaultCopyWriter& writer, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto& r = copy.records[i];
            const std::vector<std::string_view> fields(r.fields.begin(), r.fields.end());
            REQUIRE(writer.add(r.id, r.updated_at, r.kind, fields));
        }
    };
    pah::store::VaultCopyWriter writer(copy, copy.records.size());
    add_all(writer, copy.records.size());
    auto bytes = writer.finish();
    REQUIRE(bytes);
    CHECK(*bytes == bytes_of(copy));

    pah::store::VaultCopyWriter short_one(copy, copy.records.size());
    add_all(short_one, copy.records.size() - 1);
    auto cut = short_one.finish();
    REQUIRE_FALSE(cut);
    CHECK(cut.error().code == ErrorCode::BadRequest);

    pah::store::VaultCopyWriter over(copy, 1);
    add_all(over, 1);
    const std::vector<std::string_view> none;
    CHECK_FALSE(over.add("extra", "", 0, none));
}

TEST_CASE("the store keeps one private file per account and refuses a swapped one", "[store][vault_copy]") {
    TempDir tmp;
    const auto state = tmp.root / "state";
    VaultCopyStore store(state);
    const VaultCopy copy = sample_copy();

    REQUIRE(store.save(copy));
    auto back = store.load(copy.account);
    REQUIRE(back);
    CHECK(*back == copy);

    struct stat st {};
    REQUIRE(::stat(store.path_for(copy.account).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(store.path_for(copy.account).parent_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    REQUIRE(::stat(state.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    // Nothing but the copy is left behind (no temporary files).
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(store.path_for(copy.account).parent_path())) {
        ++files;
    }
    CHECK(files == 1);

    // Another account's file put in this one's place is refused.
    std::filesystem::copy_file(store.path_for(copy.account), store.path_for("someone else"));
    auto swapped = store.load("someone else");
    REQUIRE_FALSE(swapped);
    CHECK(swapped.error().code == ErrorCode::BadFormat);

    auto missing = store.load("nobody");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);

    REQUIRE(store.remove(copy.account));
    CHECK_FALSE(std::filesystem::exists(store.path_for(copy.account)));
    CHECK(store.remove(copy.account));  // removing twice is fine
}

TEST_CASE("saving again replaces the copy whole", "[store][vault_copy]") {
    TempDir tmp;
    VaultCopyStore store(tmp.root);
    REQUIRE(store.save(sample_copy(50)));
    const VaultCopy smaller = sample_copy(2);
    REQUIRE(store.save(smaller));
    auto back = store.load(smaller.account);
    REQUIRE(back);
    CHECK(back->records.size() == 2);
}
