// SPDX-License-Identifier: MIT
// The real-host end-to-end suite (real-host-suite.mjs) in headless Chromium.
import { realHostSuite } from './real-host-suite.mjs';

realHostSuite('chromium');
