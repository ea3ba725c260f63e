// SPDX-License-Identifier: MIT
#include "backends/passagent/records.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

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

// ---------------------------------------------------------------- the packed record

namespace {

constexpr std::size_t kMaxRsaWrapped = 64 * 1024;  // RSA-16384 is 2 KiB

bool box_fits(const GcmBox& box) {
    return box.iv.size() == kGcmIvSize && box.ciphertext.size() >= kGcmTagSize &&
           box.ciphertext.size() <= kGcmMaxCiphertext;
}

std::uint8_t* put(std::uint8_t* out, ByteView bytes) {
    if (!bytes.empty()) {
        std::memcpy(out, bytes.data(), bytes.size());
    }
    return out + bytes.size();
}

}  // namespace

EncryptedRecord EncryptedRecord::v2(const GcmBox& encrypted_password) {
    EncryptedRecord out;
    if (!box_fits(encrypted_password)) {
        return out;
    }
    out.kind_ = RecordKind::V2;
    out.first_size_ = static_cast<std::uint32_t>(encrypted_password.ciphertext.size());
    out.bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(kGcmIvSize + out.first_size_);
    put(put(out.bytes_.get(), encrypted_password.iv), encrypted_password.ciphertext);
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
    std::uint8_t* at = put(put(out.bytes_.get(), wrapped_item_key.iv), wrapped_item_key.ciphertext);
    put(put(at, encrypted_data.iv), encrypted_data.ciphertext);
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
    put(put(put(out.bytes_.get(), rsa_wrapped_item_key), encrypted_data.iv), encrypted_data.ciphertext);
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
    put(out.bytes_.get(), bytes);
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

// ---------------------------------------------------------------- packed entries

namespace {

// One entry: kind, flags, the record's two sizes, the lengths of the seven strings and of
// the block, then their bytes.
constexpr std::size_t kStrings = 7;
constexpr std::size_t kHeader = 2 + 4 * (2 + kStrings + 1);
constexpr std::uint8_t kHasTotp = 1;
constexpr std::uint8_t kHasShare = 2;

std::array<std::string_view, kStrings> strings_of(const ItemSummary& s) {
    return {s.id,
            s.name,
            s.username,
            s.url,
            s.website,
            s.share ? std::string_view(s.share->id) : std::string_view(),
            s.share ? std::string_view(s.share->permission) : std::string_view()};
}

std::uint8_t* put_u32(std::uint8_t* out, std::size_t value) {
    const auto v = static_cast<std::uint32_t>(value);
    std::memcpy(out, &v, sizeof v);
    return out + sizeof v;
}

std::uint32_t get_u32(const std::uint8_t*& in) {
    std::uint32_t v = 0;
    std::memcpy(&v, in, sizeof v);
    in += sizeof v;
    return v;
}

}  // namespace

std::size_t PackedEntries::add(std::span<const ParsedRecord> entries) {
    constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
    std::size_t bytes = 0;
    std::size_t dropped = 0;
    std::vector<bool> fits(entries.size(), true);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::size_t size = entries[i].sealed.heap_bytes();
        bool ok = size <= kMax && !entries[i].sealed.empty();
        for (const std::string_view text : strings_of(entries[i].summary)) {
            ok = ok && text.size() <= kMax;
            size += text.size();
        }
        if (!ok) {
            fits[i] = false;
            ++dropped;
            continue;
        }
        bytes += kHeader + size;
    }
    if (bytes == 0) {
        return dropped;
    }
    auto page = std::make_unique_for_overwrite<std::uint8_t[]>(bytes);
    std::uint8_t* at = page.get();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!fits[i]) {
            continue;
        }
        const ParsedRecord& entry = entries[i];
        const auto strings = strings_of(entry.summary);
        *at++ = static_cast<std::uint8_t>(entry.sealed.kind());
        *at++ = static_cast<std::uint8_t>((entry.summary.has_totp ? kHasTotp : 0) |
                                          (entry.summary.share ? kHasShare : 0));
        at = put_u32(at, entry.sealed.first_size());
        at = put_u32(at, entry.sealed.second_size());
        for (const std::string_view text : strings) {
            at = put_u32(at, text.size());
        }
        at = put_u32(at, entry.sealed.heap_bytes());
        for (const std::string_view text : strings) {
            at = put(at, as_bytes(text));
        }
        at = put(at, entry.sealed.bytes());
        ++count_;
    }
    pages_.push_back(std::move(page));
    page_sizes_.push_back(bytes);
    return dropped;
}

void PackedEntries::unpack_into(ItemList& items, std::vector<EncryptedRecord>& records) {
    items.reserve(items.size() + count_);
    records.reserve(records.size() + count_);
    for (std::size_t p = 0; p < pages_.size(); ++p) {
        const std::uint8_t* at = pages_[p].get();
        const std::uint8_t* const end = at + page_sizes_[p];
        while (at < end) {
            const auto kind = static_cast<RecordKind>(*at++);
            const std::uint8_t flags = *at++;
            const std::uint32_t first_size = get_u32(at);
            const std::uint32_t second_size = get_u32(at);
            std::array<std::uint32_t, kStrings> sizes{};
            for (auto& size : sizes) {
                size = get_u32(at);
            }
            const std::uint32_t block = get_u32(at);
            std::array<std::string_view, kStrings> text;
            for (std::size_t i = 0; i < kStrings; ++i) {
                text[i] = std::string_view(reinterpret_cast<const char*>(at), sizes[i]);
                at += sizes[i];
            }
            ItemSummary summary;
            summary.id = text[0];
            summary.name = text[1];
            summary.username = text[2];
            summary.url = text[3];
            summary.website = text[4];
            summary.has_totp = (flags & kHasTotp) != 0;
            if ((flags & kHasShare) != 0) {
                summary.share = ShareRef{std::string(text[5]), std::string(text[6])};
            }
            items.push_back(std::move(summary));
            records.push_back(EncryptedRecord::from_bytes(kind, first_size, second_size, ByteView(at, block)));
            at += block;
        }
        pages_[p].reset();  // each page goes as soon as it is read
    }
    pages_.clear();
    page_sizes_.clear();
    count_ = 0;
}

std::vector<std::uint32_t> index_by_id(ItemList& list, std::vector<EncryptedRecord>& records) {
    std::vector<std::uint32_t> order(list.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = static_cast<std::uint32_t>(i);
    }
    const auto by_id = [&list](std::uint32_t a, std::uint32_t b) { return list[a].id < list[b].id; };
    std::stable_sort(order.begin(), order.end(), by_id);
    std::vector<bool> dropped(list.size(), false);
    bool any = false;
    for (std::size_t i = 1; i < order.size(); ++i) {
        if (list[order[i]].id == list[order[i - 1]].id) {
            dropped[order[i]] = true;  // stable: the earlier position comes first
            any = true;
        }
    }
    if (!any) {
        return order;
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!dropped[i]) {
            if (kept != i) {
                list[kept] = std::move(list[i]);
                records[kept] = std::move(records[i]);
            }
            ++kept;
        }
    }
    list.resize(kept);
    records.resize(kept);
    return index_by_id(list, records);
}

// ---------------------------------------------------------------- parsing

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
    // ASSUMPTION (passagent-api.md, Assumptions): v3 = wrapped_item_key + encrypted_data,
    // v2 = username + encrypted_password; v3 wins when a record carries both.
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
    out.summary.share = ShareRef{std::move(share_id), permission.empty() ? "read" : std::move(permission)};
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
    out.sealed = EncryptedRecord::shared(*key, **data);
    if (out.sealed.empty()) {
        return std::unexpected(bad_record("a share's keys have a bad size"));
    }
    return out;
}

// ---------------------------------------------------------------- opening

namespace {

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
