// SPDX-License-Identifier: MIT
// The clickjacking suite (clickjacking-suite.mjs) in headless Firefox ESR.
import { clickjackingSuite } from './clickjacking-suite.mjs';

clickjackingSuite('firefox');
