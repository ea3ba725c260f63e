// SPDX-License-Identifier: MIT
// One Passman entry for one request: its credential, its TOTP secret.
#include "backends/passman/backend.hpp"

#include <charconv>
#include <utility>

#include "backends/passman/vault_state.hpp"
#include "crypto/sjcl.hpp"
#include "protocol/envelope.hpp"
#include "totp/otpauth.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

constexpr std::string_view kNoSuchEntry = "There is no such entry in this Passman vault. Sync and try again.";

Error unreadable_entry() { return pah::unreadable_entry("Passman", "the vault key"); }

// otp's digits and period: numbers, or numeric strings (what Passman's QR reader keeps).
std::optional<int> loose_number(const json& otp, const char* key, int fallback) {
    const auto it = otp.find(key);
    if (it == otp.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
        return fallback;
    }
    if (it->is_number_integer()) {
        const auto value = it->get<std::int64_t>();
        return value > 0 && value <= 86'400 ? std::optional<int>(static_cast<int>(value)) : std::nullopt;
    }
    if (it->is_string()) {
        const auto& text = it->get_ref<const std::string&>();
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && value > 0 && value <= 86'400) {
            return value;
        }
    }
    return std::nullopt;
}

// Passman's custom_fields [{label, value, secret, field_type}] as protocol Fields; file
// fields (an attachment reference, not a value) are left out.
std::vector<Field> fields_of(const json& custom) {
    std::vector<Field> out;
    if (!custom.is_array()) {
        return out;
    }
    for (const auto& raw : custom) {
        if (!raw.is_object() || !raw.contains("label") || !raw["label"].is_string() || out.size() >= 100) {
            continue;
        }
        const std::string type = raw.value("field_type", std::string("text"));
        if (type == "file") {
            continue;
        }
        const auto value = raw.find("value");
        const bool secret = (raw.contains("secret") && raw["secret"].is_boolean() && raw["secret"].get<bool>()) ||
                            type == "password";
        out.push_back(Field{raw["label"].get<std::string>(),
                            SecretBuffer::copy_of(value != raw.end() && value->is_string()
                                                      ? std::string_view(value->get_ref<const std::string&>())
                                                      : std::string_view()),
                            secret});
    }
    return out;
}

}  // namespace

Result<Credential> PassmanBackend::decrypt(std::string_view id) {
    std::lock_guard lock(mu_);
    const auto found = find_record_locked(id, kNoSuchEntry);
    if (!found) {
        return std::unexpected(found.error());
    }
    const Record& record = **found;
    SecretBuffer share;
    auto key = vault_->field_key(record.shared_key, share);
    if (!key) {
        return std::unexpected(unreadable_entry());
    }
    auto password = passman_decrypt_string(*key, json(record.password), &vault_->cache);
    auto notes = passman_decrypt_string(*key, json(record.description), &vault_->cache);
    if (!password || !notes) {
        return std::unexpected(unreadable_entry());
    }
    Credential out = credential_of(record.summary, std::move(*password), std::move(*notes));
    auto custom = passman_decrypt_json(*key, json(record.custom_fields), &vault_->cache);
    if (!custom) {
        return std::unexpected(unreadable_entry());
    }
    out.fields = fields_of(*custom);
    wipe_json(*custom);
    return out;
}

Result<TotpSource> PassmanBackend::totp(std::string_view id) {
    json otp;
    {
        std::lock_guard lock(mu_);
        const auto found = find_record_locked(id, kNoSuchEntry);
        if (!found) {
            return std::unexpected(found.error());
        }
        if (!(*found)->summary.has_totp) {
            return fail(ErrorCode::NoTotp, "This entry has no one-time code (TOTP) set up.");
        }
        SecretBuffer share;
        auto key = vault_->field_key((*found)->shared_key, share);
        auto opened = key ? passman_decrypt_json(*key, json((*found)->otp), &vault_->cache)
                          : std::unexpected(key.error());
        if (!opened) {
            return std::unexpected(unreadable_entry());
        }
        otp = std::move(*opened);
    }
    // From here on the decrypted otp object is wiped on every path.
    struct Wipe {
        json& value;
        ~Wipe() { wipe_json(value); }
    } wipe{otp};
    const auto secret = otp.is_object() ? otp.find("secret") : otp.end();
    if (!otp.is_object() || secret == otp.end() || !secret->is_string() ||
        secret->get_ref<const std::string&>().empty()) {
        return fail(ErrorCode::NoTotp, "This entry has no one-time code (TOTP) set up.");
    }
    const auto bad_settings = [] {
        return fail(ErrorCode::BadFormat, "This entry's one-time code settings cannot be read. Check them in Passman.");
    };
    auto parsed = parse_totp_input(secret->get_ref<const std::string&>());
    if (!parsed) {
        return fail(ErrorCode::BadFormat, "This entry's TOTP secret is not base32. Check it in Passman.");
    }
    TotpSecret out = totp_secret_of(std::move(*parsed));
    if (const auto algorithm = otp.find("algorithm"); algorithm != otp.end() && algorithm->is_string() &&
                                                      !algorithm->get_ref<const std::string&>().empty()) {
        out.algorithm = algorithm->get<std::string>();
    }
    const auto digits = loose_number(otp, "digits", out.digits);
    const auto period = loose_number(otp, "period", out.period);
    if (!digits || !period) {
        return bad_settings();
    }
    out.digits = *digits;
    out.period = *period;
    return TotpSource{std::move(out)};
}

}  // namespace pah::passman
