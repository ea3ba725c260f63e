// SPDX-License-Identifier: MIT
// The everyday-features suite (everyday-suite.mjs) in headless Firefox ESR.
import { everydaySuite } from './everyday-suite.mjs';

everydaySuite('firefox');
