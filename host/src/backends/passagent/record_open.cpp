// SPDX-License-Identifier: MIT
// Opening an entry: its item key, the whole credential, or only its username.
#include "backends/passagent/records.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "backends/passagent/plaintext.hpp"
#include "crypto/encoding.hpp"

namespace pah::passagent {

using nlohmann::json;

Error bad_record(std::string_view what) {
    return {ErrorCode::BadFormat, "A PassAgent entry is malformed: " + std::string(what) + "."};
}

namespace {

Error unreadable(std::string_view what) {
    return {ErrorCode::BadFormat, "This entry cannot be opened with your keys (" + std::string(what) +
                                      "); it may be hidden by travel mode or damaged."};
}

// One box into a new SecretBuffer of exactly the plaintext's size.
CryptoResult<SecretBuffer> open_box(ByteView key, const EncryptedRecord::Box& box) {
    return gcm_open(key, box.iv, box.ciphertext);
}


}  // namespace

Result<SecretBuffer> open_item_key(const EncryptedRecord& record, const RecordKeys& keys) {
    if (keys.vault_key == nullptr || keys.vault_key->size() != kGcmKeySize) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it first.");
    }
    CryptoResult<SecretBuffer> key;
    if (record.kind() == RecordKind::V3 && !record.empty()) {
        key = open_box(keys.vault_key->span(), record.vault_box());
    } else if (record.kind() == RecordKind::Shared && !record.empty()) {
        if (keys.private_key == nullptr) {
            return std::unexpected(unreadable("this account has no key pair for shares"));
        }
        key = rsa_oaep_sha256_decrypt(*keys.private_key, record.rsa_wrapped_item_key());
    } else {
        return std::unexpected(bad_record("this entry has no item key"));
    }
    if (!key) {
        return std::unexpected(unreadable("its item key does not open"));
    }
    if (key->size() != kGcmKeySize) {
        return std::unexpected(unreadable("its item key has the wrong size"));
    }
    return std::move(*key);
}

Result<Credential> open_record(const EncryptedRecord& record, const ItemSummary& summary, const RecordKeys& keys) {
    if (keys.vault_key == nullptr || keys.vault_key->size() != kGcmKeySize) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it first.");
    }
    if (record.empty()) {
        return std::unexpected(bad_record("an entry without encrypted parts"));
    }
    Credential out;
    if (record.kind() == RecordKind::V2) {
        auto password = open_box(keys.vault_key->span(), record.vault_box());
        if (!password) {
            return std::unexpected(unreadable("its password does not open"));
        }
        out.username = summary.username;
        out.password = std::move(*password);
    } else {
        auto item_key = open_item_key(record, keys);
        if (!item_key) {
            return std::unexpected(item_key.error());
        }
        auto plain = open_box(item_key->span(), record.data_box());
        if (!plain) {
            return std::unexpected(unreadable("its data does not open"));
        }
        if (!is_valid_utf8(plain->span())) {
            return std::unexpected(bad_record("the decrypted data is not UTF-8"));
        }
        auto parsed = parse_item_plaintext(plain->view());
        if (!parsed) {
            return std::unexpected(parsed.error());
        }
        out = std::move(*parsed);
    }
    if (out.urls.empty() && !summary.url.empty()) {
        out.urls.push_back(summary.url);
    }
    return out;
}

Result<std::string> open_username(const ParsedRecord& parsed, const RecordKeys& keys, SecretBuffer& scratch) {
    const EncryptedRecord& record = parsed.sealed;
    if (record.kind() == RecordKind::V2) {
        return parsed.summary.username;
    }
    if (keys.vault_key == nullptr || keys.vault_key->size() != kGcmKeySize) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it first.");
    }
    if (record.empty()) {
        return std::unexpected(bad_record("an entry without encrypted parts"));
    }
    const EncryptedRecord::Box data = record.data_box();
    const std::size_t data_size = data.ciphertext.size();
    const std::size_t need = kGcmKeySize + data_size;
    if (scratch.size() < need) {
        scratch = SecretBuffer(std::max<std::size_t>(need, 4096));
    }
    struct Wipe {
        SecretBuffer& buffer;
        std::size_t used;
        ~Wipe() { sodium_memzero(buffer.data(), used); }
    } wipe{scratch, need};

    const std::span<std::uint8_t> key_out = scratch.span().subspan(0, kGcmKeySize);
    if (record.kind() == RecordKind::V3) {
        const EncryptedRecord::Box wrapped = record.vault_box();
        auto opened = gcm_open_into(keys.vault_key->span(), wrapped.iv, wrapped.ciphertext, key_out);
        if (!opened || *opened != kGcmKeySize) {
            return std::unexpected(unreadable("its item key does not open"));
        }
    } else {
        auto key = open_item_key(record, keys);
        if (!key) {
            return std::unexpected(key.error());
        }
        std::memcpy(key_out.data(), key->data(), kGcmKeySize);
    }
    const std::span<std::uint8_t> plain_out = scratch.span().subspan(kGcmKeySize, data_size);
    auto opened = gcm_open_into(key_out, data.iv, data.ciphertext, plain_out);
    if (!opened) {
        return std::unexpected(unreadable("its data does not open"));
    }
    const ByteView plain = plain_out.subspan(0, *opened);
    if (!is_valid_utf8(plain)) {
        return std::unexpected(bad_record("the decrypted data is not UTF-8"));
    }
    auto username = parse_item_plaintext(as_text(plain), true);
    if (!username) {
        return std::unexpected(username.error());
    }
    return std::move(username->username);
}

}  // namespace pah::passagent
