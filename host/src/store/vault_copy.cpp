// SPDX-License-Identifier: MIT
// Reading a vault copy (the format: vault_copy.hpp; writing it: vault_copy_write.cpp), and
// the store of copy files in the state dir.
#include "store/vault_copy.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <sodium.h>

#include "store/state_files.hpp"
#include "store/vault_copy_format.hpp"

namespace pah::store {

namespace copy_format {

std::array<unsigned char, kHashBytes> hash_of(std::string_view bytes) {
    std::array<unsigned char, kHashBytes> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size(), nullptr, 0);
    return out;
}

}  // namespace copy_format

using namespace copy_format;  // NOLINT(google-build-using-namespace): this file's own format

namespace {

// Reads the file front to back. Every length is checked against both its bound and the
// bytes left before anything is allocated for it.
class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}

    bool u8(std::uint8_t* v) {
        if (in_.empty()) {
            return false;
        }
        *v = static_cast<std::uint8_t>(in_[0]);
        in_.remove_prefix(1);
        return true;
    }
    bool u32(std::uint32_t* v) {
        if (in_.size() < 4) {
            return false;
        }
        std::uint32_t r = 0;
        for (int i = 0; i < 4; ++i) {
            r |= static_cast<std::uint32_t>(static_cast<unsigned char>(in_[static_cast<std::size_t>(i)]))
                 << (8 * i);
        }
        in_.remove_prefix(4);
        *v = r;
        return true;
    }
    bool i64(std::int64_t* v) {
        if (in_.size() < 8) {
            return false;
        }
        std::uint64_t r = 0;
        for (int i = 0; i < 8; ++i) {
            r |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[static_cast<std::size_t>(i)]))
                 << (8 * i);
        }
        in_.remove_prefix(8);
        *v = static_cast<std::int64_t>(r);
        return true;
    }
    // A length-prefixed string of at most `max` bytes. Sets `why` on failure.
    bool bytes(std::size_t max, std::string* v, const char* what, std::string* why) {
        std::string_view in;
        if (!view(max, &in, what, why)) {
            return false;
        }
        v->assign(in);
        return true;
    }
    // The same, as a view into the input.
    bool view(std::size_t max, std::string_view* v, const char* what, std::string* why) {
        std::uint32_t n = 0;
        if (!u32(&n)) {
            *why = std::string("it ends inside ") + what;
            return false;
        }
        if (n > max) {
            *why = std::string(what) + " is " + std::to_string(n) + " bytes, more than its bound of " +
                   std::to_string(max);
            return false;
        }
        if (n > in_.size()) {
            *why = std::string("it ends inside ") + what;
            return false;
        }
        *v = in_.substr(0, n);
        in_.remove_prefix(n);
        return true;
    }
    [[nodiscard]] std::size_t left() const noexcept { return in_.size(); }

private:
    std::string_view in_;
};

}  // namespace

namespace copy_format {

std::unexpected<Error> malformed(const std::string& why) {
    return fail(ErrorCode::BadFormat, "The local copy of the vault cannot be read (" + why +
                                          "). It will be fetched again from the server.");
}

// The header and meta within their bounds (the records are checked one by one).
bool header_fits(const VaultCopyHeader& copy, std::string* why) {
    if (copy.backend.size() > kMaxCopyId || copy.account.size() > kMaxCopyText ||
        copy.server.size() > kMaxCopyText || copy.cursor.size() > kMaxCopyText) {
        *why = "the backend, account, server or cursor is too long";
        return false;
    }
    if (copy.meta.size() > kMaxCopyMeta) {
        *why = "more than 64 meta entries";
        return false;
    }
    for (const auto& [name, value] : copy.meta) {
        if (name.size() > kMaxCopyId || value.size() > kMaxCopyBlob) {
            *why = "the meta entry \"" + name.substr(0, 64) + "\" is too long";
            return false;
        }
    }
    return true;
}

bool record_fits(std::string_view id, std::string_view updated_at, std::span<const std::string_view> fields,
                 std::string* why) {
    if (id.size() > kMaxCopyId || updated_at.size() > kMaxCopyId || fields.size() > kMaxCopyFields) {
        *why = "a record's id, updated_at or field count is past its bound";
        return false;
    }
    for (const std::string_view f : fields) {
        if (f.size() > kMaxCopyBlob) {
            *why = "a record's field is larger than 1 MiB";
            return false;
        }
    }
    return true;
}

}  // namespace copy_format

const std::string* VaultCopyHeader::find_meta(std::string_view name) const noexcept {
    for (const auto& [key, value] : meta) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

void VaultCopyHeader::set_meta(std::string_view name, std::string value) {
    for (auto& [key, old] : meta) {
        if (key == name) {
            old = std::move(value);
            return;
        }
    }
    meta.emplace_back(std::string(name), std::move(value));
}

Result<VaultCopyHeader> parse_vault_copy_each(std::string_view bytes, const RecordSink& on_record,
                                              std::optional<std::string_view> account) {
    if (bytes.size() > kMaxCopyFileBytes) {
        return malformed("it is larger than 512 MiB");
    }
    if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
        return malformed("it is not a vault copy");
    }
    if (bytes.size() < kMagic.size() + 4 + kHashBytes) {
        return malformed("it is cut short");
    }
    const std::string_view content = bytes.substr(0, bytes.size() - kHashBytes);
    Reader r(content.substr(kMagic.size()));
    std::uint32_t version = 0;
    (void)r.u32(&version);
    if (version != kVaultCopyVersion) {
        return malformed("it is version " + std::to_string(version) + "; this host reads version " +
                         std::to_string(kVaultCopyVersion));
    }
    const auto expected = hash_of(content);
    if (sodium_memcmp(expected.data(), bytes.data() + content.size(), kHashBytes) != 0) {
        return malformed("its checksum does not match: it is damaged or cut short");
    }

    VaultCopyHeader copy;
    std::string why;
    if (!r.bytes(kMaxCopyId, &copy.backend, "the backend", &why) ||
        !r.bytes(kMaxCopyText, &copy.account, "the account", &why) ||
        !r.bytes(kMaxCopyText, &copy.server, "the server", &why)) {
        return malformed(why);
    }
    if (!r.i64(&copy.saved_at) || !r.i64(&copy.full_listing_at)) {
        return malformed("it ends inside its header");
    }
    if (!r.bytes(kMaxCopyText, &copy.cursor, "the cursor", &why)) {
        return malformed(why);
    }
    if (account && copy.account != *account) {
        return malformed("it belongs to another account");  // before any of its records is handed on
    }
    std::uint32_t meta_count = 0;
    if (!r.u32(&meta_count)) {
        return malformed("it ends before its meta entries");
    }
    if (meta_count > kMaxCopyMeta) {
        return malformed("it has " + std::to_string(meta_count) + " meta entries, more than 64");
    }
    copy.meta.reserve(meta_count);
    for (std::uint32_t i = 0; i < meta_count; ++i) {
        std::string name;
        std::string value;
        if (!r.bytes(kMaxCopyId, &name, "a meta name", &why) ||
            !r.bytes(kMaxCopyBlob, &value, "a meta value", &why)) {
            return malformed(why);
        }
        if (copy.find_meta(name) != nullptr) {
            return malformed("the meta entry \"" + name.substr(0, 64) + "\" appears twice");
        }
        copy.meta.emplace_back(std::move(name), std::move(value));
    }
    std::uint32_t record_count = 0;
    if (!r.u32(&record_count)) {
        return malformed("it ends before its records");
    }
    // Bounded by the format and by what the remaining bytes can hold, before reserving.
    if (record_count > kMaxCopyRecords || record_count > r.left() / kMinRecordBytes) {
        return malformed("it claims " + std::to_string(record_count) + " records, more than it can hold");
    }
    CopyRecordView rec;
    std::array<std::string_view, kMaxCopyFields> fields{};
    for (std::uint32_t i = 0; i < record_count; ++i) {
        std::uint8_t field_count = 0;
        if (!r.view(kMaxCopyId, &rec.id, "a record id", &why) ||
            !r.view(kMaxCopyId, &rec.updated_at, "a record's updated_at", &why)) {
            return malformed(why);
        }
        if (!r.u8(&rec.kind) || !r.u8(&field_count)) {
            return malformed("it ends inside a record");
        }
        if (field_count > kMaxCopyFields) {
            return malformed("a record has " + std::to_string(field_count) + " fields, more than 16");
        }
        for (std::size_t f = 0; f < field_count; ++f) {
            if (!r.view(kMaxCopyBlob, &fields[f], "a record field", &why)) {
                return malformed(why);
            }
        }
        rec.fields = std::span<const std::string_view>(fields.data(), field_count);
        on_record(rec);
    }
    if (r.left() != 0) {
        return malformed("it has " + std::to_string(r.left()) + " bytes after its last record");
    }
    return copy;
}

VaultCopyStore::VaultCopyStore(const std::filesystem::path& state_dir) : dir_(state_dir / "vaults") {}

std::filesystem::path VaultCopyStore::path_for(std::string_view account) const {
    return dir_ / (file_stem_for(account) + ".vault");
}

Result<void> VaultCopyStore::save_bytes(std::string_view account, std::string_view bytes) const {
    if (auto dir = ensure_private_dir(dir_.parent_path()); !dir) {
        return dir;
    }
    return write_file_atomic(path_for(account), bytes);
}

Result<VaultCopyHeader> VaultCopyStore::load_each(std::string_view account,
                                                  const RecordSink& on_record) const {
    auto bytes = read_file_bounded(path_for(account), kMaxCopyFileBytes);
    if (!bytes) {
        if (bytes.error().code == ErrorCode::TooLarge) {
            return malformed("it is larger than 512 MiB");
        }
        return std::unexpected(bytes.error());
    }
    return parse_vault_copy_each(*bytes, on_record, account);
}

Result<void> VaultCopyStore::remove(std::string_view account) const { return remove_file(path_for(account)); }

}  // namespace pah::store
