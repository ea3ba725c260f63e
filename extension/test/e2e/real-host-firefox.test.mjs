// SPDX-License-Identifier: MIT
// The real-host end-to-end suite (real-host-suite.mjs) in headless Firefox ESR.
import { realHostSuite } from './real-host-suite.mjs';

realHostSuite('firefox');
