// SPDX-License-Identifier: MIT
// The clickjacking suite (clickjacking-suite.mjs) in headless Chromium.
import { clickjackingSuite } from './clickjacking-suite.mjs';

clickjackingSuite('chromium');
