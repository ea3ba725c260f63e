// SPDX-License-Identifier: MIT
#include "text/json_reader.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <memory>
#include <utility>
#include <vector>

#include "secure/wipe.hpp"
#include "secure/wipe_frees.hpp"

namespace pah::text {

namespace {

// Only its parser is used. Every buffer it frees (the token buffers, as they grow and at
// the end) is zeroed first: read_json parses under a WipeFreesOnThisThread.
using LexJson = nlohmann::json;

using nlohmann::json;

class BoundedBuilder {
public:
    using number_integer_t = LexJson::number_integer_t;
    using number_unsigned_t = LexJson::number_unsigned_t;
    using number_float_t = LexJson::number_float_t;
    using string_t = LexJson::string_t;
    using binary_t = LexJson::binary_t;

    BoundedBuilder(const JsonLimits& limits, const StringTap& tap) : limits_(limits), tap_(tap) {}

    bool null() { return put(json(nullptr)); }
    bool boolean(bool value) { return put(json(value)); }
    bool number_integer(number_integer_t value) { return put(json(value)); }
    bool number_unsigned(number_unsigned_t value) { return put(json(value)); }
    // A template: the binary formats' reader (never used here) passes a std::string.
    template <typename Text>
    bool number_float(number_float_t value, const Text& /*text*/) {
        return put(json(value));
    }
    bool string(string_t& value) {
        if (!count() || !fits(value)) {
            sodium_memzero(value.data(), value.size());
            return false;
        }
        path_.push_back(stack_.empty() || stack_.back()->is_array() ? std::string() : key_);
        const bool taken = tap_ && tap_(path_, std::string_view(value));
        path_.pop_back();
        if (taken) {
            sodium_memzero(value.data(), value.size());
            if (limits_.unique_keys && !stack_.empty() && stack_.back()->is_object()) {
                taken_.emplace_back(stack_.size(), key_);  // left out of the document, still named
            }
            return true;
        }
        return put(json(std::string(value.data(), value.size())));
    }
    bool binary(binary_t& /*value*/) { return false; }
    bool start_object(std::size_t /*size*/) { return open(json::object()); }
    bool key(string_t& name) {
        if (!count() || !fits(name)) {
            return false;
        }
        key_.assign(name.data(), name.size());
        if (limits_.unique_keys && named_twice()) {
            fault_ = JsonFault::DuplicateKey;
            return false;
        }
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t /*size*/) { return open(json::array()); }
    bool end_array() { return close(); }
    template <typename Exception>
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& /*error*/) {
        if (fault_ == JsonFault::None) {
            fault_ = JsonFault::Syntax;
        }
        return false;
    }

    [[nodiscard]] JsonFault fault() const noexcept { return fault_; }
    json take() { return std::move(root_); }

private:
    bool count() {
        if (++values_ > limits_.max_values) {
            fault_ = JsonFault::TooLarge;
            return false;
        }
        return true;
    }
    bool fits(const string_t& text) {
        if (text.size() > limits_.max_string_bytes) {
            fault_ = JsonFault::TooLarge;
            return false;
        }
        return true;
    }
    // Adds a value where the parser is: the root, an array's next element, or the
    // member named by the last key.
    json* place(json value) {
        if (stack_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        json& slot = parent[key_];
        slot = std::move(value);
        return &slot;
    }
    bool put(json value) {
        if (!count()) {
            return false;
        }
        place(std::move(value));
        return true;
    }
    bool open(json container) {
        if (!count()) {
            return false;
        }
        if (stack_.size() >= limits_.max_depth) {
            fault_ = JsonFault::TooDeep;
            return false;
        }
        if (!stack_.empty()) {
            path_.push_back(stack_.back()->is_array() ? std::string() : key_);
        }
        stack_.push_back(place(std::move(container)));
        return true;
    }
    // key_ already names a member of the innermost object, kept or taken by the tap.
    [[nodiscard]] bool named_twice() const {
        if (stack_.back()->contains(key_)) {
            return true;
        }
        return std::ranges::any_of(taken_, [this](const auto& taken) {
            return taken.first == stack_.size() && taken.second == key_;
        });
    }
    bool close() {
        std::erase_if(taken_, [this](const auto& taken) { return taken.first == stack_.size(); });
        stack_.pop_back();
        if (!stack_.empty()) {
            path_.pop_back();  // the root has no entry
        }
        return true;
    }

    const JsonLimits& limits_;
    const StringTap& tap_;
    json root_;
    std::vector<json*> stack_;       // the open containers, innermost last
    std::vector<std::string> path_;  // the keys that lead to each open container but the root
    std::string key_;
    // unique_keys: the members the tap took, as (depth of their object, key); an object's
    // entries go when it closes.
    std::vector<std::pair<std::size_t, std::string>> taken_;
    std::size_t values_ = 0;
    JsonFault fault_ = JsonFault::None;
};

// The parser's objects lived in the frames below this one; zero them. A short string
// sits inside the lexer's token buffer object itself (small-string optimisation).
[[gnu::noinline]] void wipe_stack_below() noexcept {
    std::array<unsigned char, std::size_t{16} * 1024> scratch;
    sodium_memzero(scratch.data(), scratch.size());
    asm volatile("" : : "r"(scratch.data()) : "memory");
}

JsonRead parse(std::string_view text, const JsonLimits& limits, const StringTap& tap) {
    BoundedBuilder builder(limits, tap);
    const bool ok = LexJson::sax_parse(text.begin(), text.end(), &builder, LexJson::input_format_t::json,
                                       /*strict=*/true, /*ignore_comments=*/false);
    JsonRead out;
    if (!ok || builder.fault() != JsonFault::None) {
        out.fault = builder.fault() == JsonFault::None ? JsonFault::Syntax : builder.fault();
        json partial = builder.take();
        wipe_json(partial);  // what was read before the fault
        out.value = json(json::value_t::discarded);
        return out;
    }
    out.value = builder.take();
    return out;
}

}  // namespace

JsonRead read_json(std::string_view text, const JsonLimits& limits, const StringTap& tap) {
    JsonRead out;
    {
        // The lexer's buffers (its string token and its raw token text, a std::vector<char>
        // no allocator of ours reaches) hold the last long string it read: zeroed when freed.
        const WipeFreesOnThisThread wiped;
        out = parse(text, limits, tap);
    }
    wipe_stack_below();
    return out;
}

nlohmann::json parse_json(std::string_view text, const JsonLimits& limits) {
    return read_json(text, limits).value;
}

}  // namespace pah::text
