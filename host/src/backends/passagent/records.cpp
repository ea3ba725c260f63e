// SPDX-License-Identifier: MIT
#include "backends/passagent/records.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "crypto/encoding.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 32;

Error bad_record(std::string_view what) {
    return {ErrorCode::BadFormat, "A PassAgent entry is malformed: " + std::string(what) + "."};
}

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
}

// ---------------------------------------------------------------- plaintext parser

// A strict reader for the flat JSON object of an entry's plaintext.
class PlainReader {
public:
    explicit PlainReader(std::string_view text) : s_(text) {}

    Result<Credential> read(bool username_only) {
        Credential out;
        ws();
        if (!eat('{')) {
            return std::unexpected(bad_record("the decrypted data is not a JSON object"));
        }
        ws();
        if (eat('}')) {
            return finish(std::move(out));
        }
        for (;;) {
            ws();
            std::string key;
            if (!read_string_into_std(key)) {
                return std::unexpected(bad_record("the decrypted data is not valid JSON"));
            }
            ws();
            if (!eat(':')) {
                return std::unexpected(bad_record("the decrypted data is not valid JSON"));
            }
            ws();
            bool ok = true;
            if (key == "username") {
                out.username.clear();
                ok = peek('"') ? read_string_into_std(out.username) : skip_value(0);
            } else if ((key == "password" || key == "notes") && peek('"') && !username_only) {
                ok = read_string_into_secret(key == "password" ? out.password : out.notes);
            } else if (key == "urls" && peek('[') && !username_only) {
                ok = read_urls(out.urls);
            } else {
                ok = skip_value(0);
            }
            if (!ok) {
                return std::unexpected(bad_record("the decrypted data is not valid JSON"));
            }
            ws();
            if (eat(',')) {
                continue;
            }
            if (eat('}')) {
                return finish(std::move(out));
            }
            return std::unexpected(bad_record("the decrypted data is not valid JSON"));
        }
    }

private:
    Result<Credential> finish(Credential&& out) {
        ws();
        if (i_ != s_.size()) {
            return std::unexpected(bad_record("the decrypted data has trailing bytes"));
        }
        return std::move(out);
    }

    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
            ++i_;
        }
    }
    bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
    bool eat(char c) {
        if (peek(c)) {
            ++i_;
            return true;
        }
        return false;
    }

    // Finds the closing quote of the string starting at s_[i_] == '"'; npos if none.
    std::size_t string_end() const {
        for (std::size_t j = i_ + 1; j < s_.size(); ++j) {
            if (s_[j] == '\\') {
                ++j;
            } else if (s_[j] == '"') {
                return j;
            }
        }
        return std::string_view::npos;
    }


    bool read_u16(std::size_t at, std::uint32_t& out) const {
        if (at + 4 > s_.size()) {
            return false;
        }
        out = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const int h = hex_digit_value(s_[at + k]);
            if (h < 0) {
                return false;
            }
            out = out * 16 + static_cast<std::uint32_t>(h);
        }
        return true;
    }

    // Decodes the string at s_[i_] into out[0..) (room for its escaped length); returns
    // the decoded length, or nothing on malformed input.
    std::optional<std::size_t> decode(std::uint8_t* out) {
        const std::size_t end = string_end();
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        std::size_t n = 0;
        std::size_t j = i_ + 1;
        while (j < end) {
            const auto c = static_cast<unsigned char>(s_[j]);
            if (c < 0x20) {
                return std::nullopt;
            }
            if (c != '\\') {
                out[n++] = c;
                ++j;
                continue;
            }
            const char e = s_[j + 1];
            j += 2;
            switch (e) {
                case '"': out[n++] = '"'; break;
                case '\\': out[n++] = '\\'; break;
                case '/': out[n++] = '/'; break;
                case 'b': out[n++] = '\b'; break;
                case 'f': out[n++] = '\f'; break;
                case 'n': out[n++] = '\n'; break;
                case 'r': out[n++] = '\r'; break;
                case 't': out[n++] = '\t'; break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!read_u16(j, cp)) {
                        return std::nullopt;
                    }
                    j += 4;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if (j + 6 > end || s_[j] != '\\' || s_[j + 1] != 'u' || !read_u16(j + 2, low) ||
                            low < 0xDC00 || low > 0xDFFF) {
                            return std::nullopt;
                        }
                        j += 6;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return std::nullopt;
                    }
                    if (cp < 0x80) {
                        out[n++] = static_cast<std::uint8_t>(cp);
                    } else if (cp < 0x800) {
                        out[n++] = static_cast<std::uint8_t>(0xC0 | (cp >> 6));
                        out[n++] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
                    } else if (cp < 0x10000) {
                        out[n++] = static_cast<std::uint8_t>(0xE0 | (cp >> 12));
                        out[n++] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
                        out[n++] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
                    } else {
                        out[n++] = static_cast<std::uint8_t>(0xF0 | (cp >> 18));
                        out[n++] = static_cast<std::uint8_t>(0x80 | ((cp >> 12) & 0x3F));
                        out[n++] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
                        out[n++] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
                    }
                    break;
                }
                default: return std::nullopt;
            }
        }
        if (j != end) {
            return std::nullopt;  // an escape ran past the closing quote
        }
        i_ = end + 1;
        return n;
    }

    bool read_string_into_std(std::string& out) {
        if (!peek('"')) {
            return false;
        }
        const std::size_t end = string_end();
        if (end == std::string_view::npos) {
            return false;
        }
        out.assign(end - i_, '\0');
        auto n = decode(reinterpret_cast<std::uint8_t*>(out.data()));
        if (!n) {
            return false;
        }
        out.resize(*n);
        return true;
    }

    bool read_string_into_secret(SecretBuffer& out) {
        const std::size_t end = string_end();
        if (end == std::string_view::npos) {
            return false;
        }
        SecretBuffer buffer(std::max<std::size_t>(end - i_, 1));
        auto n = decode(buffer.data());
        if (!n) {
            return false;
        }
        buffer.truncate(*n);
        out = std::move(buffer);
        return true;
    }

    bool read_urls(std::vector<std::string>& urls) {
        urls.clear();
        eat('[');
        ws();
        if (eat(']')) {
            return true;
        }
        for (;;) {
            ws();
            if (peek('"')) {
                std::string url;
                if (!read_string_into_std(url)) {
                    return false;
                }
                if (urls.size() < 64) {
                    urls.push_back(std::move(url));
                }
            } else if (!skip_value(1)) {
                return false;
            }
            ws();
            if (eat(',')) {
                continue;
            }
            return eat(']');
        }
    }

    bool skip_value(int depth) {
        if (depth > kMaxDepth || i_ >= s_.size()) {
            return false;
        }
        const char c = s_[i_];
        if (c == '"') {
            const std::size_t end = string_end();
            if (end == std::string_view::npos) {
                return false;
            }
            for (std::size_t j = i_ + 1; j < end; ++j) {
                if (static_cast<unsigned char>(s_[j]) < 0x20) {
                    return false;
                }
            }
            i_ = end + 1;
            return true;
        }
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++i_;
            ws();
            if (eat(close)) {
                return true;
            }
            for (;;) {
                ws();
                if (c == '{') {
                    if (!peek('"') || !skip_value(depth + 1)) {
                        return false;
                    }
                    ws();
                    if (!eat(':')) {
                        return false;
                    }
                    ws();
                }
                if (!skip_value(depth + 1)) {
                    return false;
                }
                ws();
                if (eat(',')) {
                    continue;
                }
                return eat(close);
            }
        }
        for (std::string_view lit : {"true", "false", "null"}) {
            if (s_.substr(i_, lit.size()) == lit) {
                i_ += lit.size();
                return true;
            }
        }
        const std::size_t start = i_;
        while (i_ < s_.size() && std::strchr("+-0123456789.eE", s_[i_]) != nullptr && s_[i_] != '\0') {
            ++i_;
        }
        return i_ > start;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

Error unreadable(std::string_view what) {
    return {ErrorCode::BadFormat, "This entry cannot be opened with your keys (" + std::string(what) +
                                      "); it may be hidden by travel mode or damaged."};
}

}  // namespace

// ---------------------------------------------------------------- parsing

Result<EncryptedRecord> parse_record(const json& record) {
    if (!record.is_object()) {
        return std::unexpected(bad_record("not an object"));
    }
    EncryptedRecord out;
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
    // ASSUMPTION (passagent-api.md, Assumptions): v3 = wrapped_item_key + encrypted_data,
    // v2 = username + encrypted_password; v3 wins when a record carries both.
    if (wrapped && data && *wrapped && *data) {
        out.kind = RecordKind::V3;
        out.wrapped_item_key = std::move(**wrapped);
        out.encrypted_data = std::move(**data);
        return out;
    }
    if (password && *password) {
        out.kind = RecordKind::V2;
        out.summary.username = string_or_empty(record, "username");
        out.encrypted_password = std::move(**password);
        return out;
    }
    for (const auto* bad : {&password, &wrapped, &data}) {
        if (!*bad) {
            return std::unexpected(bad->error());
        }
    }
    return std::unexpected(bad_record("neither a v2 nor a v3 entry"));
}

Result<EncryptedRecord> parse_received_share(const json& share) {
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
    EncryptedRecord out;
    out.kind = RecordKind::Shared;
    out.share_status = status;
    fill_summary(*account, out.summary);
    if (out.summary.id.empty()) {
        out.summary.id = string_or_empty(share, "account_id");
    }
    const std::string share_id = string_or_empty(share, "id");
    if (out.summary.id.empty() || share_id.empty()) {
        return std::unexpected(bad_record("a share has no id"));
    }
    std::string permission = string_or_empty(share, "permission");
    out.summary.share = ShareRef{share_id, permission.empty() ? "read" : permission};
    // ASSUMPTION (passagent-api.md, Assumptions): account.wrapped_item_key is base64
    // RSA-OAEP-SHA-256 of the item key; account.encrypted_data as in v3.
    const std::string wrapped = string_or_empty(*account, "wrapped_item_key");
    auto data = optional_box(*account, "encrypted_data");
    if (wrapped.empty() || !data || !*data) {
        return fail(ErrorCode::Unsupported, "This share carries no keys.");
    }
    auto key = base64_decode(wrapped);
    if (!key || key->empty()) {
        return std::unexpected(bad_record("a share's wrapped key is not base64"));
    }
    out.rsa_wrapped_item_key = std::move(*key);
    out.encrypted_data = std::move(**data);
    return out;
}

// ---------------------------------------------------------------- opening

Result<SecretBuffer> open_item_key(const EncryptedRecord& record, const RecordKeys& keys) {
    if (keys.vault_key == nullptr || keys.vault_key->size() != kGcmKeySize) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it first.");
    }
    CryptoResult<SecretBuffer> key;
    if (record.kind == RecordKind::V3 && record.wrapped_item_key) {
        key = gcm_open(keys.vault_key->span(), *record.wrapped_item_key);
    } else if (record.kind == RecordKind::Shared) {
        if (keys.private_key == nullptr) {
            return std::unexpected(unreadable("this account has no key pair for shares"));
        }
        key = rsa_oaep_sha256_decrypt(*keys.private_key, record.rsa_wrapped_item_key);
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

Result<Credential> open_record(const EncryptedRecord& record, const RecordKeys& keys) {
    if (keys.vault_key == nullptr || keys.vault_key->size() != kGcmKeySize) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it first.");
    }
    Credential out;
    if (record.kind == RecordKind::V2) {
        if (!record.encrypted_password) {
            return std::unexpected(bad_record("a v2 entry without encrypted_password"));
        }
        auto password = gcm_open(keys.vault_key->span(), *record.encrypted_password);
        if (!password) {
            return std::unexpected(unreadable("its password does not open"));
        }
        out.username = record.summary.username;
        out.password = std::move(*password);
    } else {
        auto item_key = open_item_key(record, keys);
        if (!item_key) {
            return std::unexpected(item_key.error());
        }
        if (!record.encrypted_data) {
            return std::unexpected(bad_record("an entry without encrypted_data"));
        }
        auto plain = gcm_open(item_key->span(), *record.encrypted_data);
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
    if (out.urls.empty() && !record.summary.url.empty()) {
        out.urls.push_back(record.summary.url);
    }
    return out;
}

Result<std::string> open_username(const EncryptedRecord& record, const RecordKeys& keys, SecretBuffer& scratch) {
    if (record.kind == RecordKind::V2) {
        return record.summary.username;
    }
    if (keys.vault_key == nullptr || keys.vault_key->size() != kGcmKeySize || !record.encrypted_data) {
        return fail(ErrorCode::Locked, "The vault is locked. Unlock it first.");
    }
    const std::size_t data_size = record.encrypted_data->ciphertext.size();
    if (data_size < kGcmTagSize || data_size > kGcmMaxCiphertext) {
        return std::unexpected(bad_record("encrypted_data has a bad size"));
    }
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
    if (record.kind == RecordKind::V3) {
        if (!record.wrapped_item_key) {
            return std::unexpected(bad_record("a v3 entry without wrapped_item_key"));
        }
        auto opened = gcm_open_into(keys.vault_key->span(), record.wrapped_item_key->iv,
                                    record.wrapped_item_key->ciphertext, key_out);
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
    auto opened = gcm_open_into(key_out, record.encrypted_data->iv, record.encrypted_data->ciphertext, plain_out);
    if (!opened) {
        return std::unexpected(unreadable("its data does not open"));
    }
    const ByteView plain = plain_out.subspan(0, *opened);
    if (!is_valid_utf8(plain)) {
        return std::unexpected(bad_record("the decrypted data is not UTF-8"));
    }
    auto parsed = parse_item_plaintext(as_text(plain), true);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    return std::move(parsed->username);
}

Result<Credential> parse_item_plaintext(std::string_view text, bool username_only) {
    return PlainReader(text).read(username_only);
}

namespace {

// Appends `text` as a JSON string literal at out[n]; out has room (6 bytes per input byte + 2).
void put_json_string(std::uint8_t* out, std::size_t& n, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out[n++] = '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = c;
        } else if (c < 0x20) {
            out[n++] = '\\';
            out[n++] = 'u';
            out[n++] = '0';
            out[n++] = '0';
            out[n++] = static_cast<std::uint8_t>(kHex[c >> 4]);
            out[n++] = static_cast<std::uint8_t>(kHex[c & 0xF]);
        } else {
            out[n++] = c;
        }
    }
    out[n++] = '"';
}

void put_raw(std::uint8_t* out, std::size_t& n, std::string_view text) {
    std::memcpy(out + n, text.data(), text.size());
    n += text.size();
}

}  // namespace

SecretBuffer item_plaintext_json(const Credential& credential) {
    std::size_t room = 64 + 6 * (credential.username.size() + credential.password.size() + credential.notes.size());
    for (const auto& url : credential.urls) {
        room += 6 * url.size() + 4;
    }
    SecretBuffer out(room);
    std::size_t n = 0;
    put_raw(out.data(), n, "{\"username\":");
    put_json_string(out.data(), n, credential.username);
    put_raw(out.data(), n, ",\"password\":");
    put_json_string(out.data(), n, credential.password.view());
    if (!credential.notes.empty()) {
        put_raw(out.data(), n, ",\"notes\":");
        put_json_string(out.data(), n, credential.notes.view());
    }
    if (!credential.urls.empty()) {
        put_raw(out.data(), n, ",\"urls\":[");
        for (std::size_t i = 0; i < credential.urls.size(); ++i) {
            if (i > 0) {
                put_raw(out.data(), n, ",");
            }
            put_json_string(out.data(), n, credential.urls[i]);
        }
        put_raw(out.data(), n, "]");
    }
    put_raw(out.data(), n, "}");
    out.truncate(n);
    return out;
}

}  // namespace pah::passagent
