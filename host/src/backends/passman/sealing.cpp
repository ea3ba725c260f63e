// SPDX-License-Identifier: MIT
#include "backends/passman/sealing.hpp"

#include <algorithm>
#include <utility>

#include "crypto/crypto_error.hpp"
#include "crypto/sjcl.hpp"
#include "text/json_string.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

// JSON text built in a vector whose bytes are wiped before it is freed, then copied into
// locked memory. The vector is reserved up front so it never reallocates (a reallocation
// would leave an unwiped copy behind).
class SecretJson {
public:
    explicit SecretJson(std::size_t room) { bytes_.reserve(room); }
    ~SecretJson() { std::fill(bytes_.begin(), bytes_.end(), std::uint8_t{0}); }
    SecretJson(const SecretJson&) = delete;
    SecretJson& operator=(const SecretJson&) = delete;
    void raw(std::string_view text) { bytes_.insert(bytes_.end(), text.begin(), text.end()); }
    void string(std::string_view text) {
        const std::size_t at = bytes_.size();
        bytes_.resize(at + text::json_string_size(text));
        text::write_json_string(reinterpret_cast<char*>(bytes_.data() + at), text);
    }
    [[nodiscard]] ByteView view() const { return {bytes_.data(), bytes_.size()}; }

private:
    std::vector<std::uint8_t> bytes_;
};

std::size_t room_for(std::size_t text) { return 6 * text + 16; }

}  // namespace

Result<std::string> seal(ByteView key, ByteView plaintext_json) {
    auto sealed = sjcl_encrypt(key, plaintext_json, nullptr);  // fresh salt and IV
    if (!sealed) {
        return std::unexpected(to_error(sealed.error()));
    }
    return std::move(*sealed);
}

Result<std::string> seal_string(ByteView key, std::string_view text) {
    SecretJson json_text(room_for(text.size()));
    json_text.string(text);
    return seal(key, json_text.view());
}

Result<std::string> seal_fields(ByteView key, const std::vector<Field>& fields) {
    std::size_t room = 8;
    for (const auto& field : fields) {
        room += room_for(field.name.size() + field.value.size()) + 64;
    }
    SecretJson text(room);
    text.raw("[");
    for (std::size_t i = 0; i < fields.size(); ++i) {
        text.raw(i > 0 ? ",{\"label\":" : "{\"label\":");
        text.string(fields[i].name);
        text.raw(",\"value\":");
        text.string(fields[i].value.view());
        text.raw(fields[i].hidden ? ",\"secret\":true,\"field_type\":\"password\"}"
                                  : ",\"secret\":false,\"field_type\":\"text\"}");
    }
    text.raw("]");
    return seal(key, text.view());
}

Result<void> seal_draft(ByteView key, const ItemDraft& draft, json& body) {
    struct Text {
        const char* field;
        const std::optional<std::string>* value;
    };
    for (const Text& text : {Text{"username", &draft.username}, Text{"url", &draft.url}}) {
        if (*text.value) {
            auto sealed = seal_string(key, **text.value);
            if (!sealed) {
                return std::unexpected(sealed.error());
            }
            body[text.field] = std::move(*sealed);
        }
    }
    struct Secret {
        const char* field;
        const std::optional<SecretBuffer>* value;
    };
    for (const Secret& secret : {Secret{"password", &draft.password}, Secret{"description", &draft.notes}}) {
        if (*secret.value) {
            auto sealed = seal_string(key, (*secret.value)->view());
            if (!sealed) {
                return std::unexpected(sealed.error());
            }
            body[secret.field] = std::move(*sealed);
        }
    }
    if (draft.fields) {
        auto sealed = seal_fields(key, *draft.fields);
        if (!sealed) {
            return std::unexpected(sealed.error());
        }
        body["custom_fields"] = std::move(*sealed);
    }
    if (draft.name) {
        body["label"] = *draft.name;
    }
    return {};
}

}  // namespace pah::passman
