// SPDX-License-Identifier: MIT
// The reader of a PassAgent entry's plaintext (A8: the JSON inside a v3 entry's or a
// received share's encrypted_data) over arbitrary bytes. Another user writes what a
// received share holds, so this is hostile input: no crash, no exception, and what comes
// out keeps the reader's promises (username_only copies no secret; what it reads, the
// writer writes back and it reads again the same).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/passagent/plaintext.hpp"
#include "fuzz.hpp"

using namespace pah;
using namespace pah::passagent;

namespace {

bool same(const Credential& a, const Credential& b) {
    return a.username == b.username && a.password.view() == b.password.view() && a.notes.view() == b.notes.view() &&
           a.urls == b.urls &&
           std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(), [](const Field& x, const Field& y) {
               return x.name == y.name && x.value.view() == y.value.view() && x.hidden == y.hidden;
           });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = pah::fuzz::as_text(data, size);
    const auto full = parse_item_plaintext(text);
    const auto username_only = parse_item_plaintext(text, true);
    if (username_only && (!username_only->password.empty() || !username_only->notes.empty() ||
                          !username_only->urls.empty() || !username_only->fields.empty())) {
        __builtin_trap();
    }
    if (full) {
        const SecretBuffer written = item_plaintext_json(*full);
        const auto again = parse_item_plaintext(written.view());
        if (!again || !same(*full, *again)) {
            __builtin_trap();
        }
    }
    return 0;
}
