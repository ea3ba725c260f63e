// SPDX-License-Identifier: MIT
// The assumed PassAgent formats (assumptions.hpp, A1 to A12): the replies and record
// layouts that no published document describes.
#include "backends/passagent/assumptions.hpp"

#include <algorithm>

#include "backends/passagent/json_fields.hpp"
#include "backends/passagent/wire.hpp"
#include "crypto/encoding.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

using nlohmann::json;

bool is_mfa_required_code(std::string_view lower_code) noexcept {
    return lower_code == "mfa_required" || lower_code == "insufficient_aal" ||
           lower_code == "mfa_verification_required";
}

std::string share_view_path(std::string_view escaped_share_id) {
    return "/sharing/" + std::string(escaped_share_id) + "/view";
}

Result<Box> parse_box(const json& value) {
    // A3. Facts: base64 in API examples, base64url in the SDK.
    json parsed;
    const json* obj = &value;
    if (value.is_string()) {
        parsed = text::parse_json(value.get_ref<const std::string&>());
        if (parsed.is_discarded()) {
            return std::unexpected(bad_format("an encrypted value is neither an object nor JSON text"));
        }
        obj = &parsed;
    }
    const auto iv_text = string_field(*obj, "iv");
    const auto ct_text = string_field(*obj, "ciphertext");
    if (!iv_text || !ct_text) {
        return std::unexpected(bad_format("an encrypted value lacks iv or ciphertext"));
    }
    auto iv = decode_base64(*iv_text);
    auto ct = decode_base64(*ct_text);
    if (!iv || !ct) {
        return std::unexpected(bad_format("an encrypted value is not base64"));
    }
    // Facts: a random 12-byte IV, the 16-byte tag appended to the ciphertext.
    if (iv->size() != 12 || ct->size() < 16) {
        return std::unexpected(bad_format("an encrypted value has the wrong IV or tag size"));
    }
    return Box{std::move(*iv), std::move(*ct)};
}

Result<SaltReply> parse_salt_reply(std::string_view body) {
    // A4.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    SaltReply out;
    const auto salt_text = string_field(*reply, "salt");
    if (!salt_text) {
        return std::unexpected(bad_format("the vault salt is missing"));
    }
    auto salt = decode_base64(*salt_text);
    if (!salt || salt->size() < 8 || salt->size() > 64) {
        return std::unexpected(bad_format("the vault salt is not 8 to 64 bytes of base64"));
    }
    out.salt = std::move(*salt);
    // Facts: 64 MiB, 3 iterations, 4 lanes unless the server says otherwise (honour it).
    if (const json* kdf = field(*reply, "kdf"); kdf != nullptr && !kdf->is_null()) {
        if (!kdf->is_object()) {
            return std::unexpected(bad_format("the KDF parameters are not an object"));
        }
        if (const auto alg = string_field(*kdf, "algorithm"); alg && to_lower(*alg) != "argon2id") {
            return fail(ErrorCode::Unsupported, "This PassAgent vault uses the key derivation \"" +
                                                    alg->substr(0, 40) + "\", which is not supported.");
        }
        const auto get = [&](const char* name, std::int64_t def, std::int64_t lo, std::int64_t hi,
                             std::uint32_t* dst) -> bool {
            const json* v = field(*kdf, name);
            if (v == nullptr) {
                *dst = static_cast<std::uint32_t>(def);
                return true;
            }
            const auto n = int_field(*kdf, name);
            if (!n || *n < lo || *n > hi) {
                return false;
            }
            *dst = static_cast<std::uint32_t>(*n);
            return true;
        };
        // Upper bounds: 1 GiB, 64 passes, 64 lanes — beyond that a server could stall
        // or exhaust this computer.
        if (!get("memoryKiB", 65536, 8, std::int64_t{1024} * 1024, &out.kdf.memory_kib) ||
            !get("iterations", 3, 1, 64, &out.kdf.iterations) ||
            !get("parallelism", 4, 1, 64, &out.kdf.parallelism)) {
            return std::unexpected(bad_format("the KDF parameters are out of range"));
        }
        if (out.kdf.memory_kib < 8 * out.kdf.parallelism) {
            return std::unexpected(bad_format("the KDF memory is too small for its lanes"));
        }
    }
    if (const json* verifier = field(*reply, "verifier"); verifier != nullptr && !verifier->is_null()) {
        auto box = parse_box(*verifier);
        if (!box) {
            return std::unexpected(box.error());
        }
        out.verifier = std::move(*box);
    }
    return out;
}

Result<KeysReply> parse_keys_reply(std::string_view body) {
    // A6.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto pk = string_field(*reply, "publicKey");
    const json* epk = field(*reply, "encryptedPrivateKey");
    if (!pk || epk == nullptr) {
        return std::unexpected(bad_format("the key pair reply lacks publicKey or encryptedPrivateKey"));
    }
    auto der = decode_base64(*pk);
    if (!der || der->empty() || der->size() > 16384) {
        return std::unexpected(bad_format("the public key is not base64 DER"));
    }
    auto box = parse_box(*epk);
    if (!box) {
        return std::unexpected(box.error());
    }
    return KeysReply{std::move(*der), std::move(*box)};
}

Result<std::vector<std::uint8_t>> parse_public_key_reply(std::string_view body) {
    // A12.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto pk = string_field(*reply, "publicKey");
    if (!pk) {
        return std::unexpected(bad_format("the public key reply lacks publicKey"));
    }
    auto der = decode_base64(*pk);
    if (!der || der->empty() || der->size() > 16384) {
        return std::unexpected(bad_format("the public key is not base64 DER"));
    }
    return std::move(*der);
}

Result<TotpConfig> parse_totp_config(std::string_view body) {
    // Facts (seed 002): {hasTotp, zeroTrust, secretEncrypted?, algorithm, digits, period}.
    // A9: an entry without TOTP answers 200 {hasTotp: false}.
    auto reply = parse_object(body);
    if (!reply) {
        return std::unexpected(reply.error());
    }
    TotpConfig out;
    auto has = bool_field(*reply, "hasTotp");
    if (!has) {
        has = bool_field(*reply, "has_totp");
    }
    if (!has) {
        return std::unexpected(bad_format("the TOTP reply lacks hasTotp"));
    }
    out.has_totp = *has;
    if (!out.has_totp) {
        return out;
    }
    const json* secret = field(*reply, "secretEncrypted");
    out.zero_trust = bool_field(*reply, "zeroTrust").value_or(secret != nullptr && !secret->is_null());
    if (out.zero_trust) {
        if (secret == nullptr) {
            return std::unexpected(bad_format("a zero-trust TOTP entry has no secretEncrypted"));
        }
        auto box = parse_box(*secret);
        if (!box) {
            return std::unexpected(box.error());
        }
        out.secret_encrypted = std::move(*box);
    }
    if (const auto alg = string_field(*reply, "algorithm")) {
        std::string a = to_lower(*alg);
        std::erase(a, '-');
        if (a == "sha1" || a == "sha256" || a == "sha512") {
            out.algorithm = "SHA" + a.substr(3);
        } else {
            return fail(ErrorCode::Unsupported, "The TOTP algorithm \"" + alg->substr(0, 20) + "\" is not supported.");
        }
    }
    const auto digits = int_field(*reply, "digits").value_or(6);
    const auto period = int_field(*reply, "period").value_or(30);
    if (digits < 4 || digits > 10 || period < 1 || period > 3600) {
        return std::unexpected(bad_format("the TOTP digits or period are out of range"));
    }
    out.digits = static_cast<int>(digits);
    out.period = static_cast<int>(period);
    return out;
}

namespace {

std::string string_or_empty(const json& obj, std::string_view name) {
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_string()) {
        return {};
    }
    return it->get<std::string>();
}

// An {iv, ciphertext} field that may be missing (nothing), or present and malformed.
Result<std::optional<GcmBox>> optional_box(const json& obj, std::string_view name) {
    const auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) {
        return std::optional<GcmBox>{};
    }
    auto box = parse_gcm_box(*it);
    if (!box) {
        return std::unexpected(bad_record(std::string(name) + " is not an encrypted value (" + box.error().detail + ")"));
    }
    return std::optional<GcmBox>(std::move(*box));
}

// Summary fields shared by own records and received shares.
void fill_summary(const json& obj, ItemSummary& summary) {
    summary.id = string_or_empty(obj, "id");
    summary.name = string_or_empty(obj, "name");
    summary.url = string_or_empty(obj, "url");
    summary.website = string_or_empty(obj, "website");
    summary.updated_at = string_or_empty(obj, "updated_at");
}

// A14: who shared it, as the owner's email. Another user chose it: one that is too long for
// an address or holds control characters is not shown at all rather than shown cut.
std::string owner_email(const json& share) {
    std::string email = string_or_empty(share, "owner_email");
    const bool control =
        std::ranges::any_of(email, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (email.size() > kMaxOwnerEmailBytes || control) {
        return {};
    }
    return email;
}

}  // namespace

Result<ParsedRecord> parse_record(const json& record) {
    if (!record.is_object()) {
        return std::unexpected(bad_record("not an object"));
    }
    ParsedRecord out;
    fill_summary(record, out.summary);
    if (out.summary.id.empty()) {
        return std::unexpected(bad_record("no id"));
    }
    if (const auto it = record.find("has_totp"); it != record.end() && it->is_boolean()) {
        out.summary.has_totp = it->get<bool>();
    }
    auto password = optional_box(record, "encrypted_password");
    auto wrapped = optional_box(record, "wrapped_item_key");
    auto data = optional_box(record, "encrypted_data");
    // A7: v3 wins when a record carries both.
    if (wrapped && data && *wrapped && *data) {
        out.sealed = EncryptedRecord::v3(**wrapped, **data);
    } else if (password && *password) {
        out.summary.username = string_or_empty(record, "username");
        out.sealed = EncryptedRecord::v2(**password);
    } else {
        for (const auto* bad : {&password, &wrapped, &data}) {
            if (!*bad) {
                return std::unexpected(bad->error());
            }
        }
        return std::unexpected(bad_record("neither a v2 nor a v3 entry"));
    }
    if (out.sealed.empty()) {
        return std::unexpected(bad_record("an encrypted value has a bad size"));
    }
    return out;
}

Result<ParsedRecord> parse_received_share(const json& share) {
    if (!share.is_object()) {
        return std::unexpected(bad_record("a share is not an object"));
    }
    const std::string status = string_or_empty(share, "status");
    if (status != "active" && status != "pending") {
        return fail(ErrorCode::Unsupported, "This share is " + (status.empty() ? "unusable" : status.substr(0, 20)) + ".");
    }
    const auto account = share.find("account");
    if (account == share.end() || !account->is_object()) {
        return fail(ErrorCode::Unsupported, "This share carries no entry.");
    }
    ParsedRecord out;
    fill_summary(*account, out.summary);
    if (out.summary.id.empty()) {
        out.summary.id = string_or_empty(share, "account_id");
    }
    std::string share_id = string_or_empty(share, "id");
    if (out.summary.id.empty() || share_id.empty()) {
        return std::unexpected(bad_record("a share has no id"));
    }
    std::string permission = string_or_empty(share, "permission");
    out.summary.share = ShareRef{std::move(share_id), permission.empty() ? "read" : std::move(permission),
                                 owner_email(share)};
    // A11.
    const std::string wrapped = string_or_empty(*account, "wrapped_item_key");
    auto data = optional_box(*account, "encrypted_data");
    if (wrapped.empty() || !data || !*data) {
        return fail(ErrorCode::Unsupported, "This share carries no keys.");
    }
    auto key = base64_decode(wrapped);
    if (!key || key->empty()) {
        return std::unexpected(bad_record("a share's wrapped key is not base64"));
    }
    out.sealed = EncryptedRecord::shared(*key, **data);
    if (out.sealed.empty()) {
        return std::unexpected(bad_record("a share's keys have a bad size"));
    }
    return out;
}

}  // namespace pah::passagent
