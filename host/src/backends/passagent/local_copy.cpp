// SPDX-License-Identifier: MIT
// A PassAgent vault <-> its local copy (docs/local-store.md).
#include "backends/passagent/local_copy.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

// A record's fields in the copy, in this order (the file keeps them as byte strings).
enum Field : std::size_t {
    kName,
    kUrl,
    kWebsite,
    kClearUsername,  // V2 only: the server keeps it in clear; empty for V3 and shares
    kShareId,
    kSharePermission,
    kFlags,     // one byte: kHasTotp | kHasShare
    kBlock,     // EncryptedRecord::bytes()
    kSizes,     // first_size, second_size: u32 little-endian each
    kTotp,      // totp_config_text, or empty
    kSharedBy,  // a share's owner email, or empty; copies written before it end at kTotp
    kFieldCount,
};
constexpr std::uint8_t kHasTotp = 1;
constexpr std::uint8_t kHasShare = 2;

json box_json(const Box& box) {
    return {{"iv", base64_encode(box.iv)}, {"ciphertext", base64_encode(box.ciphertext)}};
}

std::string u32_pair(std::uint32_t a, std::uint32_t b) {
    std::string out(8, '\0');
    for (std::size_t i = 0; i < 4; ++i) {
        out[i] = static_cast<char>((a >> (8 * i)) & 0xff);
        out[4 + i] = static_cast<char>((b >> (8 * i)) & 0xff);
    }
    return out;
}

std::uint32_t u32_at(std::string_view bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    return v;
}

std::unexpected<Error> bad_copy(const std::string& why) {
    return fail(ErrorCode::BadFormat, "The local copy of the vault cannot be used (" + why + ").");
}

// One record of the copy, or nothing when it does not read back.
std::optional<ParsedRecord> read_record(const store::CopyRecordView& record) {
    const bool before_shared_by = record.fields.size() == kSharedBy;
    if ((record.fields.size() != kFieldCount && !before_shared_by) ||
        record.kind > static_cast<std::uint8_t>(RecordKind::Shared) || record.fields[kSizes].size() != 8 ||
        record.fields[kFlags].size() != 1 || record.id.empty()) {
        return std::nullopt;
    }
    const auto kind = static_cast<RecordKind>(record.kind);
    const std::string_view sizes = record.fields[kSizes];
    ParsedRecord out;
    out.sealed = EncryptedRecord::from_bytes(kind, u32_at(sizes, 0), u32_at(sizes, 4),
                                             as_bytes(record.fields[kBlock]));
    if (out.sealed.empty()) {
        return std::nullopt;
    }
    const auto flags = static_cast<std::uint8_t>(record.fields[kFlags][0]);
    ItemSummary& s = out.summary;
    s.id = record.id;
    s.updated_at = record.updated_at;
    s.name = record.fields[kName];
    s.url = record.fields[kUrl];
    s.website = record.fields[kWebsite];
    if (kind == RecordKind::V2) {
        s.username = record.fields[kClearUsername];
    }
    s.has_totp = (flags & kHasTotp) != 0;
    if ((flags & kHasShare) != 0) {
        s.share = ShareRef{std::string(record.fields[kShareId]), std::string(record.fields[kSharePermission]),
                           before_shared_by ? std::string() : std::string(record.fields[kSharedBy])};
    }
    return out;
}

}  // namespace

std::string salt_reply_text(const SaltReply& salt) {
    json out{{"salt", base64_encode(salt.salt)},
             {"kdf",
              {{"algorithm", "argon2id"},
               {"memoryKiB", salt.kdf.memory_kib},
               {"iterations", salt.kdf.iterations},
               {"parallelism", salt.kdf.parallelism}}}};
    if (salt.verifier) {
        out["verifier"] = box_json(*salt.verifier);
    }
    return out.dump();
}

std::string keys_reply_text(const KeysReply& keys) {
    return json{{"publicKey", base64_encode(keys.public_key_der)},
                {"encryptedPrivateKey", box_json(keys.encrypted_private_key)}}
        .dump();
}

std::string totp_config_text(const TotpConfig& config) {
    json out{{"hasTotp", config.has_totp},
             {"zeroTrust", config.zero_trust},
             {"algorithm", config.algorithm},
             {"digits", config.digits},
             {"period", config.period}};
    if (config.secret_encrypted) {
        out["secretEncrypted"] = box_json(*config.secret_encrypted);
    }
    return out.dump();
}

namespace {

// The copy without its records: the header and meta.
store::VaultCopyHeader copy_header(const CopyHeader& header) {
    store::VaultCopyHeader copy;
    copy.backend = std::string(kCopyBackend);
    copy.account = header.account;
    copy.server = header.server;
    copy.saved_at = header.saved_at;
    copy.full_listing_at = header.full_listing_at != 0 ? header.full_listing_at : header.saved_at;
    copy.cursor = header.cursor;
    copy.set_meta("salt", header.salt);
    if (!header.keys.empty()) {
        copy.set_meta("keys", header.keys);
    }
    return copy;
}

// The fields the computed ones point into, reused from record to record.
struct FieldScratch {
    std::string flags;
    std::string sizes;
    std::string totp;
};

// One record's fields in the copy's order (views into `s`, `sealed` and `scratch`).
std::array<std::string_view, kFieldCount> record_fields(const ItemSummary& s, const EncryptedRecord& sealed,
                                                        const TotpConfig* totp, FieldScratch& scratch) {
    std::array<std::string_view, kFieldCount> out{};
    out[kName] = s.name;
    out[kUrl] = s.url;
    out[kWebsite] = s.website;
    if (sealed.kind() == RecordKind::V2) {
        out[kClearUsername] = s.username;  // sent in clear; a V3 one was decrypted here
    }
    if (s.share) {
        out[kShareId] = s.share->id;
        out[kSharePermission] = s.share->permission;
        out[kSharedBy] = s.share->shared_by;
    }
    scratch.flags.assign(1, static_cast<char>((s.has_totp ? kHasTotp : 0) | (s.share ? kHasShare : 0)));
    out[kFlags] = scratch.flags;
    out[kBlock] = as_text(sealed.bytes());
    scratch.sizes = u32_pair(sealed.first_size(), sealed.second_size());
    out[kSizes] = scratch.sizes;
    scratch.totp.clear();
    if (totp != nullptr) {
        scratch.totp = totp_config_text(*totp);
        out[kTotp] = scratch.totp;
    }
    return out;
}

const TotpConfig* totp_of(const std::unordered_map<std::string, TotpConfig>& totp, const std::string& id) {
    const auto it = totp.find(id);
    return it != totp.end() ? &it->second : nullptr;
}

}  // namespace

Result<std::string> vault_copy_bytes(const CopyHeader& header, const ItemList& items,
                                     const std::vector<EncryptedRecord>& records,
                                     const std::unordered_map<std::string, TotpConfig>& totp) {
    const std::size_t count = std::min(items.size(), records.size());
    // About right: the blocks, the clear fields, and the lengths and flags around them.
    std::size_t estimate = 1024 + header.salt.size() + header.keys.size();
    for (std::size_t i = 0; i < count; ++i) {
        const ItemSummary& s = items[i];
        estimate += 64 + s.id.size() + s.updated_at.size() + s.name.size() + s.url.size() + s.website.size() +
                    records[i].heap_bytes();
    }
    store::VaultCopyWriter writer(copy_header(header), count, estimate);
    FieldScratch scratch;
    for (std::size_t i = 0; i < count; ++i) {
        const ItemSummary& s = items[i];
        const auto fields = record_fields(s, records[i], totp_of(totp, s.id), scratch);
        if (auto added = writer.add(s.id, s.updated_at, static_cast<std::uint8_t>(records[i].kind()), fields);
            !added) {
            return std::unexpected(added.error());
        }
    }
    return writer.finish();
}

namespace {

// What the copy says besides its records, into `out`.
Result<void> read_copy_header(const store::VaultCopyHeader& copy, std::string_view server, OpenedCopy& out) {
    if (copy.backend != kCopyBackend || copy.server != server) {
        return bad_copy("it is not this PassAgent server's");
    }
    const std::string* salt_text = copy.find_meta("salt");
    if (salt_text == nullptr) {
        return bad_copy("it has no vault salt");
    }
    auto salt = parse_salt_reply(*salt_text);
    if (!salt) {
        return bad_copy("its vault salt: " + salt.error().message);
    }
    out.salt = std::move(*salt);
    if (const std::string* keys_text = copy.find_meta("keys"); keys_text != nullptr) {
        auto keys = parse_keys_reply(*keys_text);
        if (!keys) {
            return bad_copy("its key pair: " + keys.error().message);
        }
        out.keys = std::move(*keys);
    }
    out.saved_at = copy.saved_at;
    out.full_listing_at = copy.full_listing_at;
    out.cursor = copy.cursor;
    return {};
}

// One record into `out` (or counted as skipped).
void take_record(const store::CopyRecordView& record, OpenedCopy& out) {
    auto parsed = read_record(record);
    if (!parsed) {
        ++out.skipped;
        return;
    }
    if (!record.fields[kTotp].empty()) {
        if (auto config = parse_totp_config(record.fields[kTotp]); config) {
            out.totp.emplace(record.id, std::move(*config));
        }
    }
    out.records.push_back(std::move(*parsed));
}

}  // namespace

Result<OpenedCopy> load_vault_copy(const store::VaultCopyStore& store, std::string_view account,
                                   std::string_view server) {
    OpenedCopy out;
    auto header =
        store.load_each(account, [&out](const store::CopyRecordView& record) { take_record(record, out); });
    if (!header) {
        return std::unexpected(header.error());
    }
    if (auto read = read_copy_header(*header, server, out); !read) {
        return std::unexpected(read.error());
    }
    out.records.shrink_to_fit();
    return out;
}

}  // namespace pah::passagent
