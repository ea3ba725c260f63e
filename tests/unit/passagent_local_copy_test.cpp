// SPDX-License-Identifier: MIT
// A PassAgent vault's local copy: what goes into the file and what reads back, through
// the host's own writer, store and loader (a state dir under TMPDIR).
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include <catch2/catch.hpp>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/records.hpp"
#include "crypto/random.hpp"
#include "store/vault_copy.hpp"
#include "support/process.hpp"
#include "support/vault_copy_records.hpp"

using nlohmann::json;
using namespace pah;
using namespace pah::passagent;

namespace {

GcmBox seal(const SecretBuffer& key, std::string_view text) {
    auto box = gcm_seal(key.span(), as_bytes(text));
    REQUIRE(box);
    return std::move(*box);
}

Box wire_box(const GcmBox& box) { return Box{box.iv, box.ciphertext}; }

constexpr std::string_view kServer = "https://vault.example";
constexpr std::string_view kAccount = "passagent:alice@example.org@https://vault.example";

struct Snapshot {
    SecretBuffer vault_key = random_secret(32);
    ItemList items;
    std::vector<EncryptedRecord> records;
    std::unordered_map<std::string, TotpConfig> totp;
    SaltReply salt;

    Snapshot() {
        // v2: username sent in clear.
        ItemSummary v2;
        v2.id = "a-v2";
        v2.name = "Mail";
        v2.username = "clear-user";
        v2.url = "https://mail.example/login";
        v2.website = "mail.example";
        v2.updated_at = "2026-01-02T03:04:05Z";
        items.push_back(v2);
        records.push_back(EncryptedRecord::v2(seal(vault_key, "v2-secret-password")));
        // v3: its username was decrypted at sync and must not be written.
        const SecretBuffer item_key = random_secret(32);
        ItemSummary v3;
        v3.id = "b-v3";
        v3.name = "Bank";
        v3.username = "decrypted-user";
        v3.has_totp = true;
        v3.share = ShareRef{"share-1", "read", "owner@example.org"};
        items.push_back(v3);
        records.push_back(
            EncryptedRecord::v3(seal(vault_key, item_key.view()),
                                seal(item_key, R"({"username":"decrypted-user","password":"p"})")));
        TotpConfig config;
        config.has_totp = true;
        config.zero_trust = true;
        config.secret_encrypted = wire_box(seal(vault_key, "JBSWY3DPEHPK3PXP"));
        config.digits = 8;
        totp.emplace("b-v3", config);
        salt.salt = std::vector<std::uint8_t>(16, 7);
        salt.kdf = KdfParams{65536, 3, 4};
        salt.verifier = wire_box(seal(vault_key, kVerifierText));
    }

    [[nodiscard]] CopyHeader header() const {
        CopyHeader h;
        h.account = std::string(kAccount);
        h.server = std::string(kServer);
        h.salt = salt_reply_text(salt);
        h.cursor = "b-v3";
        h.saved_at = 1'780'000'000;
        return h;
    }
};

// The copy's bytes as the host writes them after a sync.
std::string bytes_of(const Snapshot& snap) {
    auto bytes = vault_copy_bytes(snap.header(), snap.items, snap.records, snap.totp);
    REQUIRE(bytes);
    return std::move(*bytes);
}

// `bytes` saved as `account`'s copy in a fresh state dir, and loaded as an unlock does.
Result<OpenedCopy> save_and_load(const std::string& bytes, std::string_view server = kServer,
                                 std::string_view account = kAccount) {
    const testing::TempDir state;
    const store::VaultCopyStore store(state.path());
    REQUIRE(store.save_bytes(account, bytes));
    return load_vault_copy(store, account, server);
}

// The copy held whole, so that a test can change it (tests/support/vault_copy_records.hpp).
testing::OwnedCopy owned(const std::string& bytes) {
    auto copy = testing::read_owned_copy(bytes);
    REQUIRE(copy);
    return std::move(*copy);
}

std::string rewritten(const testing::OwnedCopy& copy) {
    auto bytes = testing::write_owned_copy(copy);
    REQUIRE(bytes);
    return std::move(*bytes);
}

}  // namespace

TEST_CASE("a PassAgent vault's local copy reads back as the same entries", "[passagent][local-copy]") {
    const Snapshot snap;
    auto opened = save_and_load(bytes_of(snap));
    REQUIRE(opened);

    CHECK(opened->saved_at == 1'780'000'000);
    CHECK(opened->cursor == "b-v3");
    CHECK(opened->skipped == 0);
    CHECK(opened->salt.salt == snap.salt.salt);
    CHECK(opened->salt.kdf.memory_kib == 65536);
    CHECK(opened->salt.kdf.iterations == 3);
    REQUIRE(opened->salt.verifier);
    CHECK(opened->salt.verifier->ciphertext == snap.salt.verifier->ciphertext);
    CHECK_FALSE(opened->keys);
    REQUIRE(opened->records.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const ParsedRecord& r = opened->records[i];
        CHECK(r.summary.id == snap.items[i].id);
        CHECK(r.summary.name == snap.items[i].name);
        CHECK(r.summary.updated_at == snap.items[i].updated_at);
        CHECK(r.sealed.kind() == snap.records[i].kind());
        CHECK(std::ranges::equal(r.sealed.bytes(), snap.records[i].bytes()));
    }
    CHECK(opened->records[0].summary.username == "clear-user");
    CHECK(opened->records[1].summary.username.empty());  // opened again at unlock
    CHECK(opened->records[1].summary.has_totp);
    REQUIRE(opened->records[1].summary.share);
    CHECK(opened->records[1].summary.share->id == "share-1");
    CHECK(opened->records[1].summary.share->shared_by == "owner@example.org");
    REQUIRE(opened->totp.contains("b-v3"));
    CHECK(opened->totp.at("b-v3").digits == 8);
    CHECK(opened->totp.at("b-v3").secret_encrypted->ciphertext ==
          snap.totp.at("b-v3").secret_encrypted->ciphertext);
}

TEST_CASE("a PassAgent local copy never holds a decrypted username or a key", "[passagent][local-copy]") {
    const Snapshot snap;
    const std::string bytes = bytes_of(snap);
    CHECK(bytes.find("clear-user") != std::string::npos);
    CHECK(bytes.find("decrypted-user") == std::string::npos);
    CHECK(bytes.find(std::string(snap.vault_key.view())) == std::string::npos);
}

TEST_CASE("a PassAgent local copy of another server, or without a salt, or with broken keys is refused",
          "[passagent][local-copy]") {
    const Snapshot snap;
    const std::string bytes = bytes_of(snap);
    auto other = save_and_load(bytes, "https://other.example");
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::BadFormat);

    testing::OwnedCopy copy = owned(bytes);
    copy.header.meta.clear();
    auto no_salt = save_and_load(rewritten(copy));
    REQUIRE_FALSE(no_salt);
    CHECK(no_salt.error().code == ErrorCode::BadFormat);

    copy = owned(bytes);
    copy.header.set_meta("keys", R"({"publicKey":1})");
    auto bad_keys = save_and_load(rewritten(copy));
    REQUIRE_FALSE(bad_keys);
    CHECK(bad_keys.error().code == ErrorCode::BadFormat);
}

TEST_CASE("a PassAgent local copy that is missing, or another account's, is not used",
          "[passagent][local-copy]") {
    const Snapshot snap;
    const testing::TempDir state;
    const store::VaultCopyStore store(state.path());
    auto missing = load_vault_copy(store, snap.header().account, kServer);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);

    REQUIRE(store.save_bytes("passagent:bob@example.org@https://vault.example", bytes_of(snap)));
    auto swapped = load_vault_copy(store, "passagent:bob@example.org@https://vault.example", kServer);
    REQUIRE_FALSE(swapped);
    CHECK(swapped.error().code == ErrorCode::BadFormat);
}

TEST_CASE("a record of a PassAgent local copy whose sizes do not add up is skipped",
          "[passagent][local-copy]") {
    const Snapshot snap;
    testing::OwnedCopy copy = owned(bytes_of(snap));
    copy.records[0].fields[8] = std::string(8, '\x01');  // first_size, second_size
    copy.records[1].kind = 9;                            // no such kind
    auto opened = save_and_load(rewritten(copy));
    REQUIRE(opened);
    CHECK(opened->records.empty());
    CHECK(opened->skipped == 2);
}

TEST_CASE("a PassAgent local copy written before shares named their owner still opens",
          "[passagent][local-copy]") {
    const Snapshot snap;
    testing::OwnedCopy copy = owned(bytes_of(snap));
    const std::size_t fields = copy.records[1].fields.size();
    for (auto& record : copy.records) {
        record.fields.pop_back();  // the owner's email, the last field
    }

    auto opened = save_and_load(rewritten(copy));

    REQUIRE(opened);
    CHECK(opened->skipped == 0);
    REQUIRE(opened->records.size() == 2);
    REQUIRE(opened->records[1].summary.share);
    CHECK(opened->records[1].summary.share->id == "share-1");
    CHECK(opened->records[1].summary.share->shared_by.empty());
    CHECK(opened->totp.contains("b-v3"));
    // One field fewer again is no copy this host wrote: skipped.
    for (auto& record : copy.records) {
        record.fields.resize(fields - 2);
    }
    auto short_records = save_and_load(rewritten(copy));
    REQUIRE(short_records);
    CHECK(short_records->skipped == 2);
}
