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
#include "support/process.hpp"
#include "support/vault_copy_records.hpp"

using pah::ErrorCode;
using pah::store::CopyRecordView;
using pah::store::VaultCopyHeader;
using pah::store::VaultCopyStore;
using pah::testing::OwnedCopy;
using pah::testing::OwnedCopyRecord;
using pah::testing::read_owned_copy;

namespace {

OwnedCopy sample_copy(std::size_t records = 3) {
    REQUIRE(sodium_init() >= 0);  // the file's checksum is libsodium's
    OwnedCopy copy;
    VaultCopyHeader& h = copy.header;
    h.backend = "passagent";
    h.account = "passagent:alice@example.org@http://127.0.0.1:8080";
    h.server = "http://127.0.0.1:8080";
    h.saved_at = 1'780'000'000;
    h.full_listing_at = 1'779'999'000;
    h.cursor = "rec-0002";
    h.set_meta("salt", std::string("\x00\x01\x02\xff", 4));
    h.set_meta("kdf", R"({"algorithm":"argon2id","memoryKiB":65536,"iterations":3,"parallelism":4})");
    for (std::size_t i = 0; i < records; ++i) {
        OwnedCopyRecord r;
        r.id = "rec-" + std::to_string(i);
        r.updated_at = "2026-12-0" + std::to_string(i % 9 + 1) + "T10:00:00Z";
        r.kind = static_cast<std::uint8_t>(i % 3);
        r.fields = {"name " + std::to_string(i), "example.org", std::string(60, static_cast<char>('a' + i % 26)),
                    std::string("\0binary\xff", 8)};
        copy.records.push_back(std::move(r));
    }
    return copy;
}

// The file's bytes, through the writer the host uses.
std::string bytes_of(const OwnedCopy& copy) {
    auto bytes = pah::testing::write_owned_copy(copy);
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

// The loader with a sink that drops the records.
pah::Result<VaultCopyHeader> parse(std::string_view bytes) {
    return pah::store::parse_vault_copy_each(
        bytes, [](const CopyRecordView&) {}, std::nullopt);
}

}  // namespace

TEST_CASE("a vault copy reads back exactly as it was written", "[store][vault_copy]") {
    const OwnedCopy copy = sample_copy();
    auto back = read_owned_copy(bytes_of(copy));
    REQUIRE(back);
    CHECK(*back == copy);
    REQUIRE(back->header.find_meta("salt") != nullptr);
    CHECK(*back->header.find_meta("salt") == std::string("\x00\x01\x02\xff", 4));
    CHECK(back->header.find_meta("verifier") == nullptr);
}

TEST_CASE("the loader hands on each record in order, as views into the file", "[store][vault_copy]") {
    const OwnedCopy copy = sample_copy(4);
    const std::string bytes = bytes_of(copy);
    std::size_t seen = 0;
    auto header = pah::store::parse_vault_copy_each(
        bytes,
        [&](const CopyRecordView& record) {
            REQUIRE(seen < copy.records.size());
            CHECK(record.id == copy.records[seen].id);
            CHECK(record.kind == copy.records[seen].kind);
            REQUIRE(record.fields.size() == copy.records[seen].fields.size());
            CHECK(record.fields[3] == copy.records[seen].fields[3]);
            // A view into `bytes`, not a copy of it.
            CHECK(record.id.data() >= bytes.data());
            CHECK(record.id.data() < bytes.data() + bytes.size());
            ++seen;
        },
        copy.header.account);
    REQUIRE(header);
    CHECK(*header == copy.header);
    CHECK(seen == 4);
}

TEST_CASE("an empty vault copy reads back", "[store][vault_copy]") {
    OwnedCopy copy;
    copy.header.account = "a";
    auto back = read_owned_copy(bytes_of(copy));
    REQUIRE(back);
    CHECK(*back == copy);
}

TEST_CASE("set_meta replaces a value of the same name", "[store][vault_copy]") {
    VaultCopyHeader copy;
    copy.set_meta("salt", "one");
    copy.set_meta("salt", "two");
    REQUIRE(copy.meta.size() == 1);
    CHECK(*copy.find_meta("salt") == "two");
}

TEST_CASE("the loader refuses another file, another version, damage and a cut", "[store][vault_copy]") {
    const std::string good = bytes_of(sample_copy());
    const auto refused = [](const std::string& bytes) {
        auto r = parse(bytes);
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

TEST_CASE("the loader refuses a copy of another account before handing on a record", "[store][vault_copy]") {
    const std::string bytes = bytes_of(sample_copy());
    std::size_t handed_on = 0;
    auto r = pah::store::parse_vault_copy_each(
        bytes, [&handed_on](const CopyRecordView&) { ++handed_on; }, std::string_view("someone else"));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BadFormat);
    CHECK_THAT(r.error().message, Catch::Contains("another account"));
    CHECK(handed_on == 0);
}

TEST_CASE("the loader refuses a length past its bound before allocating it", "[store][vault_copy]") {
    // The backend's length sits right after magic and version.
    std::string bytes = bytes_of(sample_copy());
    put_u32(bytes, 12, 0xffffffffU);
    auto r = parse(rehash(bytes));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("more than its bound"));
}

TEST_CASE("the loader refuses a record count the file cannot hold", "[store][vault_copy]") {
    std::string bytes = bytes_of(sample_copy(0));
    // The record count is the last u32 before the hash when there are no records.
    put_u32(bytes, bytes.size() - 32 - 4, 1'000'000);
    auto r = parse(rehash(bytes));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("more than it can hold"));
}

TEST_CASE("the loader refuses a record with more fields than the format allows", "[store][vault_copy]") {
    // One record with no fields: its field count is the byte before the hash.
    OwnedCopy copy = sample_copy(0);
    copy.records.push_back(OwnedCopyRecord{"id", "", 0, {}});
    std::string bytes = bytes_of(copy);
    bytes[bytes.size() - 32 - 1] = static_cast<char>(pah::store::kMaxCopyFields + 1);
    auto r = parse(rehash(bytes));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("more than 16"));
}

TEST_CASE("a copy past the format's bounds is refused when written", "[store][vault_copy]") {
    OwnedCopy copy = sample_copy(1);
    copy.records[0].fields.resize(pah::store::kMaxCopyFields + 1);
    auto r = pah::testing::write_owned_copy(copy);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BadRequest);

    OwnedCopy big_meta = sample_copy(1);
    for (std::size_t i = 0; i <= pah::store::kMaxCopyMeta; ++i) {
        big_meta.header.set_meta("m" + std::to_string(i), "v");
    }
    auto refused = pah::testing::write_owned_copy(big_meta);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::BadRequest);
}

TEST_CASE("the record-by-record writer holds to its count", "[store][vault_copy]") {
    const OwnedCopy copy = sample_copy(3);
    const auto add_all = [&copy](pah::store::VaultCopyWriter& writer, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto& r = copy.records[i];
            const std::vector<std::string_view> fields(r.fields.begin(), r.fields.end());
            REQUIRE(writer.add(r.id, r.updated_at, r.kind, fields));
        }
    };
    pah::store::VaultCopyWriter writer(copy.header, copy.records.size(), 4096);
    add_all(writer, copy.records.size());
    auto bytes = writer.finish();
    REQUIRE(bytes);
    CHECK(*bytes == bytes_of(copy));  // the reserve guess changes nothing

    pah::store::VaultCopyWriter short_one(copy.header, copy.records.size());
    add_all(short_one, copy.records.size() - 1);
    auto cut = short_one.finish();
    REQUIRE_FALSE(cut);
    CHECK(cut.error().code == ErrorCode::BadRequest);

    pah::store::VaultCopyWriter over(copy.header, 1);
    add_all(over, 1);
    const std::vector<std::string_view> none;
    CHECK_FALSE(over.add("extra", "", 0, none));
}

TEST_CASE("the store keeps one private file per account and refuses a swapped one", "[store][vault_copy]") {
    const pah::testing::TempDir tmp;
    const auto state = std::filesystem::path(tmp.path()) / "state";
    VaultCopyStore store(state);
    const OwnedCopy copy = sample_copy();
    const std::string& account = copy.header.account;

    REQUIRE(store.save_bytes(account, bytes_of(copy)));
    OwnedCopy back;
    auto header = store.load_each(account, [&back](const CopyRecordView& view) {
        back.records.push_back(
            OwnedCopyRecord{std::string(view.id), std::string(view.updated_at), view.kind,
                            std::vector<std::string>(view.fields.begin(), view.fields.end())});
    });
    REQUIRE(header);
    back.header = *header;
    CHECK(back == copy);

    struct stat st {};
    REQUIRE(::stat(store.path_for(account).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(store.path_for(account).parent_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    REQUIRE(::stat(state.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    // Nothing but the copy is left behind (no temporary files).
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator(store.path_for(account).parent_path())) {
        ++files;
    }
    CHECK(files == 1);

    // Another account's file put in this one's place is refused, before any record.
    std::filesystem::copy_file(store.path_for(account), store.path_for("someone else"));
    std::size_t handed_on = 0;
    auto swapped = store.load_each("someone else", [&handed_on](const CopyRecordView&) { ++handed_on; });
    REQUIRE_FALSE(swapped);
    CHECK(swapped.error().code == ErrorCode::BadFormat);
    CHECK(handed_on == 0);

    auto missing = store.load_each("nobody", [](const CopyRecordView&) {});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);

    REQUIRE(store.remove(account));
    CHECK_FALSE(std::filesystem::exists(store.path_for(account)));
    CHECK(store.remove(account));  // removing twice is fine
}

TEST_CASE("the store refuses a damaged file as BAD_FORMAT", "[store][vault_copy]") {
    const pah::testing::TempDir tmp;
    VaultCopyStore store(tmp.path());
    const OwnedCopy copy = sample_copy();
    std::string bytes = bytes_of(copy);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    REQUIRE(store.save_bytes(copy.header.account, bytes));
    auto damaged = store.load_each(copy.header.account, [](const CopyRecordView&) {});
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().code == ErrorCode::BadFormat);
    CHECK_THAT(damaged.error().message, Catch::Contains("fetched again"));
}

TEST_CASE("saving again replaces the copy whole", "[store][vault_copy]") {
    const pah::testing::TempDir tmp;
    VaultCopyStore store(tmp.path());
    const OwnedCopy smaller = sample_copy(2);
    REQUIRE(store.save_bytes(smaller.header.account, bytes_of(sample_copy(50))));
    REQUIRE(store.save_bytes(smaller.header.account, bytes_of(smaller)));
    std::size_t records = 0;
    REQUIRE(store.load_each(smaller.header.account, [&records](const CopyRecordView&) { ++records; }));
    CHECK(records == 2);
}
