// SPDX-License-Identifier: MIT
// EncryptedRecord: one entry's encrypted parts in one heap block.
#include "backends/passagent/records.hpp"

#include <cstring>

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxRsaWrapped = std::size_t{64} * 1024;  // RSA-16384 is 2 KiB

bool box_fits(const GcmBox& box) {
    return box.iv.size() == kGcmIvSize && box.ciphertext.size() >= kGcmTagSize &&
           box.ciphertext.size() <= kGcmMaxCiphertext;
}

}  // namespace

std::uint8_t* put_bytes(std::uint8_t* out, ByteView bytes) {
    if (!bytes.empty()) {
        std::memcpy(out, bytes.data(), bytes.size());
    }
    return out + bytes.size();
}

EncryptedRecord EncryptedRecord::v2(const GcmBox& encrypted_password) {
    EncryptedRecord out;
    if (!box_fits(encrypted_password)) {
        return out;
    }
    out.kind_ = RecordKind::V2;
    out.first_size_ = static_cast<std::uint32_t>(encrypted_password.ciphertext.size());
    out.bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(kGcmIvSize + out.first_size_);
    put_bytes(put_bytes(out.bytes_.get(), encrypted_password.iv), encrypted_password.ciphertext);
    return out;
}

EncryptedRecord EncryptedRecord::v3(const GcmBox& wrapped_item_key, const GcmBox& encrypted_data) {
    EncryptedRecord out;
    if (!box_fits(wrapped_item_key) || !box_fits(encrypted_data)) {
        return out;
    }
    out.kind_ = RecordKind::V3;
    out.first_size_ = static_cast<std::uint32_t>(wrapped_item_key.ciphertext.size());
    out.second_size_ = static_cast<std::uint32_t>(encrypted_data.ciphertext.size());
    out.bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(2 * kGcmIvSize + out.first_size_ + out.second_size_);
    std::uint8_t* at = put_bytes(put_bytes(out.bytes_.get(), wrapped_item_key.iv), wrapped_item_key.ciphertext);
    put_bytes(put_bytes(at, encrypted_data.iv), encrypted_data.ciphertext);
    return out;
}

EncryptedRecord EncryptedRecord::shared(ByteView rsa_wrapped_item_key, const GcmBox& encrypted_data) {
    EncryptedRecord out;
    if (rsa_wrapped_item_key.empty() || rsa_wrapped_item_key.size() > kMaxRsaWrapped || !box_fits(encrypted_data)) {
        return out;
    }
    out.kind_ = RecordKind::Shared;
    out.first_size_ = static_cast<std::uint32_t>(rsa_wrapped_item_key.size());
    out.second_size_ = static_cast<std::uint32_t>(encrypted_data.ciphertext.size());
    out.bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(out.first_size_ + kGcmIvSize + out.second_size_);
    std::uint8_t* at = put_bytes(out.bytes_.get(), rsa_wrapped_item_key);
    put_bytes(put_bytes(at, encrypted_data.iv), encrypted_data.ciphertext);
    return out;
}

EncryptedRecord EncryptedRecord::from_bytes(RecordKind kind, std::uint32_t first_size, std::uint32_t second_size,
                                            ByteView bytes) {
    EncryptedRecord out;
    if (bytes.empty() || block_size(kind, first_size, second_size) != bytes.size()) {
        return out;
    }
    out.kind_ = kind;
    out.first_size_ = first_size;
    out.second_size_ = second_size;
    out.bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(bytes.size());
    put_bytes(out.bytes_.get(), bytes);
    return out;
}

EncryptedRecord::Box EncryptedRecord::vault_box() const noexcept {
    if (!bytes_ || kind_ == RecordKind::Shared) {
        return {};
    }
    return {ByteView(bytes_.get(), kGcmIvSize), ByteView(bytes_.get() + kGcmIvSize, first_size_)};
}

ByteView EncryptedRecord::rsa_wrapped_item_key() const noexcept {
    if (!bytes_ || kind_ != RecordKind::Shared) {
        return {};
    }
    return {bytes_.get(), first_size_};
}

EncryptedRecord::Box EncryptedRecord::data_box() const noexcept {
    if (!bytes_ || kind_ == RecordKind::V2) {
        return {};
    }
    const std::size_t at = kind_ == RecordKind::V3 ? kGcmIvSize + first_size_ : first_size_;
    return {ByteView(bytes_.get() + at, kGcmIvSize), ByteView(bytes_.get() + at + kGcmIvSize, second_size_)};
}

std::size_t EncryptedRecord::block_size(RecordKind kind, std::size_t first_size, std::size_t second_size) noexcept {
    switch (kind) {
        case RecordKind::V2: return kGcmIvSize + first_size;
        case RecordKind::V3: return 2 * kGcmIvSize + first_size + second_size;
        case RecordKind::Shared: break;
    }
    return first_size + kGcmIvSize + second_size;
}

std::size_t EncryptedRecord::heap_bytes() const noexcept {
    return bytes_ ? block_size(kind_, first_size_, second_size_) : 0;
}

}  // namespace pah::passagent
