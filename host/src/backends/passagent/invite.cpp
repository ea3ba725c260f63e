// SPDX-License-Identifier: MIT
// A13 (assumptions.hpp): invites for someone without an account, on top of the pure
// HKDF and AES-GCM primitives in crypto/.
#include "backends/passagent/assumptions.hpp"

#include <nlohmann/json.hpp>

#include "crypto/aes_gcm.hpp"
#include "crypto/hkdf.hpp"
#include "crypto/random.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

namespace {

CryptoResult<void> check_sizes(ByteView token, ByteView salt) {
    if (token.size() != kInviteTokenSize) {
        return crypto_fail(CryptoErrc::BadFormat, "an invite token is 32 bytes");
    }
    if (salt.size() != kInviteSaltSize) {
        return crypto_fail(CryptoErrc::BadFormat, "an invite salt is 16 bytes");
    }
    return {};
}

}  // namespace

CryptoResult<SecretBuffer> invite_kek(ByteView token, ByteView salt) {
    if (auto ok = check_sizes(token, salt); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return hkdf_sha256(token, salt, as_bytes(kInviteInfo), kGcmKeySize);
}

CryptoResult<std::string> wrap_item_key_for_invite(ByteView token, ByteView salt,
                                                   ByteView item_key) {
    if (item_key.size() != kItemKeySize) {
        return crypto_fail(CryptoErrc::BadFormat, "an item key is 32 bytes");
    }
    auto kek = invite_kek(token, salt);
    if (!kek) {
        return std::unexpected(std::move(kek.error()));
    }
    auto box = gcm_seal(kek->span(), item_key);
    if (!box) {
        return std::unexpected(std::move(box.error()));
    }
    return base64_encode(as_bytes(to_json(*box).dump()));
}

CryptoResult<Invite> make_invite(ByteView item_key) {
    Invite invite{random_secret(kInviteTokenSize), random_vector(kInviteSaltSize), {}};
    auto wrapped = wrap_item_key_for_invite(invite.token.span(), invite.salt, item_key);
    if (!wrapped) {
        return std::unexpected(std::move(wrapped.error()));
    }
    invite.wrapped = std::move(*wrapped);
    return invite;
}

CryptoResult<SecretBuffer> open_invite(ByteView token, ByteView salt, std::string_view wrapped) {
    std::string json_text;
    if (const auto first = wrapped.find_first_not_of(" \t\r\n");
        first != std::string_view::npos && wrapped[first] == '{') {
        json_text = std::string(wrapped);
    } else if (auto decoded = base64_decode(wrapped)) {
        json_text = std::string(as_text(*decoded));
    } else {
        return crypto_fail(CryptoErrc::BadFormat, "the wrapped invite key is neither base64 nor JSON");
    }
    const auto parsed = text::parse_json(json_text);
    if (parsed.is_discarded()) {
        return crypto_fail(CryptoErrc::BadFormat, "the wrapped invite key is not {iv, ciphertext} JSON");
    }
    auto box = parse_gcm_box(parsed);
    if (!box) {
        return std::unexpected(std::move(box.error()));
    }
    auto kek = invite_kek(token, salt);
    if (!kek) {
        return std::unexpected(std::move(kek.error()));
    }
    auto key = gcm_open(kek->span(), *box);
    if (!key) {
        return std::unexpected(std::move(key.error()));
    }
    if (key->size() != kItemKeySize) {
        return crypto_fail(CryptoErrc::BadFormat, "the invite does not hold a 32-byte item key");
    }
    return key;
}

}  // namespace pah::passagent
