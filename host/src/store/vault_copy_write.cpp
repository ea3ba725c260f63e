// SPDX-License-Identifier: MIT
// Writing a vault copy: the header, then record by record (VaultCopyWriter); the file
// ends with the hash of what is before it.
#include <algorithm>
#include <array>
#include <string>

#include "store/vault_copy.hpp"
#include "store/vault_copy_format.hpp"

namespace pah::store {

using namespace copy_format;  // NOLINT(google-build-using-namespace): this file's own format

namespace {

// Appends to a string the caller owns.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v) {
        const std::array<char, 4> le{static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
                                     static_cast<char>((v >> 16) & 0xff),
                                     static_cast<char>((v >> 24) & 0xff)};
        out_.append(le.data(), le.size());
    }
    void i64(std::int64_t v) {
        const auto u = static_cast<std::uint64_t>(v);
        std::array<char, 8> le{};
        for (std::size_t i = 0; i < le.size(); ++i) {
            le[i] = static_cast<char>((u >> (8 * i)) & 0xff);
        }
        out_.append(le.data(), le.size());
    }
    void bytes(std::string_view v) {
        u32(static_cast<std::uint32_t>(v.size()));
        out_.append(v);
    }
    void raw(std::string_view v) { out_.append(v); }

private:
    std::string& out_;
};

}  // namespace

VaultCopyWriter::VaultCopyWriter(const VaultCopyHeader& header, std::size_t record_count, std::size_t reserve)
    : announced_(record_count) {
    if (!header_fits(header, &error_)) {
        return;
    }
    if (record_count > kMaxCopyRecords) {
        error_ = "more than 2,000,000 records";
        return;
    }
    Writer w(out_);
    out_.reserve(std::min(reserve, kMaxCopyFileBytes));
    w.raw(kMagic);
    w.u32(kVaultCopyVersion);
    w.bytes(header.backend);
    w.bytes(header.account);
    w.bytes(header.server);
    w.i64(header.saved_at);
    w.i64(header.full_listing_at);
    w.bytes(header.cursor);
    w.u32(static_cast<std::uint32_t>(header.meta.size()));
    for (const auto& [name, value] : header.meta) {
        w.bytes(name);
        w.bytes(value);
    }
    w.u32(static_cast<std::uint32_t>(record_count));
}

Result<void> VaultCopyWriter::add(std::string_view id, std::string_view updated_at, std::uint8_t kind,
                                  std::span<const std::string_view> fields) {
    if (error_.empty() && added_ >= announced_) {
        error_ = "more records than announced";
    }
    if (error_.empty()) {
        (void)record_fits(id, updated_at, fields, &error_);
    }
    if (error_.empty() && out_.size() > kMaxCopyFileBytes) {
        error_ = "over 512 MiB";
    }
    if (!error_.empty()) {
        return fail(ErrorCode::BadRequest, "The vault cannot be kept on disk: " + error_ + ".");
    }
    Writer w(out_);
    w.bytes(id);
    w.bytes(updated_at);
    w.u8(kind);
    w.u8(static_cast<std::uint8_t>(fields.size()));
    for (const std::string_view f : fields) {
        w.bytes(f);
    }
    ++added_;
    return {};
}

Result<std::string> VaultCopyWriter::finish() {
    if (error_.empty() && added_ != announced_) {
        error_ = std::to_string(added_) + " records where " + std::to_string(announced_) + " were announced";
    }
    if (!error_.empty()) {
        return fail(ErrorCode::BadRequest, "The vault cannot be kept on disk: " + error_ + ".");
    }
    if (out_.size() + kHashBytes > kMaxCopyFileBytes) {
        return fail(ErrorCode::TooLarge, "The vault is too large to keep on disk (over 512 MiB).");
    }
    const auto hash = hash_of(out_);
    out_.append(reinterpret_cast<const char*>(hash.data()), hash.size());
    return std::move(out_);
}

}  // namespace pah::store
