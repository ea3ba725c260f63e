// SPDX-License-Identifier: MIT
// Save and update on submit against the real host (save-real-suite.mjs) in headless Chromium.
import { saveRealSuite } from './save-real-suite.mjs';

saveRealSuite('chromium');
