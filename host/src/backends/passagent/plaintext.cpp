// SPDX-License-Identifier: MIT
// The hand-written reader and writer of an entry's plaintext JSON.
#include "backends/passagent/plaintext.hpp"

#include <algorithm>
#include <cstring>

#include "backends/passagent/records.hpp"
#include "text/json_string.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 32;

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
            } else if (key == "fields" && peek('[') && !username_only) {
                ok = read_fields(out.fields);
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

    // Decodes the string at s_[i_] into out[0..) (room for its escaped length); returns
    // the decoded length, or nothing on malformed input.
    std::optional<std::size_t> decode(std::uint8_t* out) {
        const std::size_t end = string_end();
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        const auto n = text::decode_json_string_body(s_.substr(i_ + 1, end - i_ - 1), out);
        if (n) {
            i_ = end + 1;
        }
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

    // The array at s_[i_]: each element that starts with `first` goes to `read_one`
    // (false: malformed), any other element is skipped.
    template <class ReadOne>
    bool read_array(char first, ReadOne read_one) {
        eat('[');
        ws();
        if (eat(']')) {
            return true;
        }
        for (;;) {
            ws();
            if (peek(first)) {
                if (!read_one()) {
                    return false;
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

    bool read_urls(std::vector<std::string>& urls) {
        urls.clear();
        return read_array('"', [&] {
            std::string url;
            if (!read_string_into_std(url)) {
                return false;
            }
            if (urls.size() < 64) {
                urls.push_back(std::move(url));
            }
            return true;
        });
    }

    // [{name, value, hidden}]: values into SecretBuffers; entries without a string name
    // are skipped, a missing value is empty, at most 100 kept.
    bool read_fields(std::vector<Field>& fields) {
        fields.clear();
        return read_array('{', [&] { return read_field(fields); });
    }

    bool read_field(std::vector<Field>& fields) {
        eat('{');
        Field field;
        bool named = false;
        ws();
        if (!eat('}')) {
            for (;;) {
                ws();
                std::string key;
                if (!read_string_into_std(key)) {
                    return false;
                }
                ws();
                if (!eat(':')) {
                    return false;
                }
                ws();
                bool ok = true;
                if (key == "name" && peek('"')) {
                    ok = read_string_into_std(field.name);
                    named = true;
                } else if (key == "value" && peek('"')) {
                    ok = read_string_into_secret(field.value);
                } else if (key == "hidden" && s_.substr(i_, 4) == "true") {
                    field.hidden = true;
                    i_ += 4;
                } else {
                    ok = skip_value(2);
                }
                if (!ok) {
                    return false;
                }
                ws();
                if (eat(',')) {
                    continue;
                }
                if (eat('}')) {
                    break;
                }
                return false;
            }
        }
        if (named && fields.size() < 100) {
            fields.push_back(std::move(field));
        }
        return true;
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

}  // namespace

Result<Credential> parse_item_plaintext(std::string_view text, bool username_only) {
    return PlainReader(text).read(username_only);
}

namespace {

// Appends `text` as a JSON string literal at out[n]; out has room (6 bytes per input byte + 2).
void put_json_string(std::uint8_t* out, std::size_t& n, std::string_view text) {
    char* const at = reinterpret_cast<char*>(out + n);
    n += static_cast<std::size_t>(text::write_json_string(at, text) - at);
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
    for (const auto& field : credential.fields) {
        room += 6 * (field.name.size() + field.value.size()) + 48;
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
    if (!credential.fields.empty()) {
        put_raw(out.data(), n, ",\"fields\":[");
        for (std::size_t i = 0; i < credential.fields.size(); ++i) {
            const Field& field = credential.fields[i];
            put_raw(out.data(), n, i > 0 ? ",{\"name\":" : "{\"name\":");
            put_json_string(out.data(), n, field.name);
            put_raw(out.data(), n, ",\"value\":");
            put_json_string(out.data(), n, field.value.view());
            put_raw(out.data(), n, field.hidden ? ",\"hidden\":true}" : ",\"hidden\":false}");
        }
        put_raw(out.data(), n, "]");
    }
    put_raw(out.data(), n, "}");
    out.truncate(n);
    return out;
}

}  // namespace pah::passagent
