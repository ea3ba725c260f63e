// SPDX-License-Identifier: MIT
// The everyday features against the real host (everyday-real-suite.mjs) in headless Chromium.
import { everydayRealSuite } from './everyday-real-suite.mjs';

everydayRealSuite('chromium');
