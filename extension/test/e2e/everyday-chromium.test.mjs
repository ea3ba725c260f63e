// SPDX-License-Identifier: MIT
// The everyday-features suite (everyday-suite.mjs) in headless Chromium.
import { everydaySuite } from './everyday-suite.mjs';

everydaySuite('chromium');
