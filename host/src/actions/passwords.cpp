// SPDX-License-Identifier: MIT
// passwords.generate: {length?, preset?, lower?, upper?, digits?, symbols?, exclude?,
// excludeAmbiguous?, words?, separator?} → {password, entropyBits}. docs/generate.md.
#include <cmath>

#include "actions/actions.hpp"
#include "generate/generator.hpp"
#include "protocol/params.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxExclude = 256;

Result<generate::Options> read_options(const json& p) {
    generate::Options options;
    auto preset = params::optional_string(p, "preset");
    if (!preset) {
        return std::unexpected(preset.error());
    }
    const std::string name = preset->value_or("strong");
    if (name == "strong") {
        options.preset = generate::Preset::Strong;
    } else if (name == "memorable") {
        options.preset = generate::Preset::Memorable;
    } else if (name == "pin") {
        options.preset = generate::Preset::Pin;
        options.length = 6;
    } else {
        return std::unexpected(params::bad_field(
            "preset", "params.preset must be one of \"strong\", \"memorable\", \"pin\"."));
    }
    const bool is_memorable = options.preset == generate::Preset::Memorable;

    auto length = params::optional_int(p, "length", 1, 1024);
    if (!length) {
        return std::unexpected(length.error());
    }
    if (length->has_value()) {
        if (is_memorable) {
            return std::unexpected(params::bad_field(
                "length", "params.length does not apply to memorable passwords; use params.words."));
        }
        options.length = static_cast<std::size_t>(**length);
    }

    const std::pair<std::string_view, bool*> flags[] = {
        {"lower", &options.lower},
        {"upper", &options.upper},
        {"digits", &options.digits},
        {"symbols", &options.symbols},
        {"excludeAmbiguous", &options.exclude_ambiguous},
    };
    for (const auto& [field, target] : flags) {
        auto value = params::optional_bool(p, field);
        if (!value) {
            return std::unexpected(value.error());
        }
        if (value->has_value()) {
            *target = **value;
        }
    }

    auto exclude = params::optional_string(p, "exclude");
    if (!exclude) {
        return std::unexpected(exclude.error());
    }
    if (exclude->has_value()) {
        if ((*exclude)->size() > kMaxExclude) {
            return std::unexpected(
                params::bad_field("exclude", "params.exclude must be at most 256 characters."));
        }
        options.exclude = std::move(**exclude);
    }

    auto words = params::optional_int(p, "words", 1, 1024);
    if (!words) {
        return std::unexpected(words.error());
    }
    auto separator = params::optional_string(p, "separator");
    if (!separator) {
        return std::unexpected(separator.error());
    }
    if (!is_memorable && (words->has_value() || separator->has_value())) {
        const char* field = words->has_value() ? "words" : "separator";
        return std::unexpected(params::bad_field(
            field, "params." + std::string(field) + " applies only to memorable passwords."));
    }
    if (words->has_value()) {
        options.words = static_cast<std::size_t>(**words);
    }
    if (separator->has_value()) {
        options.separator = std::move(**separator);
    }
    return options;
}

Result<json> generate_action(RequestContext& ctx) {
    auto options = read_options(ctx.params().json());
    if (!options) {
        return std::unexpected(options.error());
    }
    auto generated = generate::generate_password(*options);
    if (!generated) {
        return std::unexpected(generated.error());
    }
    // The reply JSON is wiped after it is written (sensitive_reply).
    return json{{"password", std::string(generated->password.view())},
                {"entropyBits", std::floor(generated->entropy_bits * 10.0) / 10.0}};
}

}  // namespace

void register_passwords(Dispatcher& dispatcher, Services& services) {
    (void)services;
    dispatcher.add("passwords.generate", {.handler = generate_action,
                                          .run_on = RunOn::Reader,
                                          .sensitive_reply = true});
}

}  // namespace pah::actions
