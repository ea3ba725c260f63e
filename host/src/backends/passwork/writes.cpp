// SPDX-License-Identifier: MIT
// Writes: Passwork's legacy API (the one this backend speaks) has no route that creates,
// changes or deletes a password, so credentials.create/update/delete answer UNSUPPORTED.
#include "backends/passwork/backend.hpp"

namespace pah::passwork {

Error PassworkBackend::writes_unsupported() const {
    return {ErrorCode::Unsupported,
            "Passwork's legacy API is read-only: it cannot create, change or delete passwords. "
            "Make the change in Passwork's own web app; it shows up here after the next sync."};
}

}  // namespace pah::passwork
