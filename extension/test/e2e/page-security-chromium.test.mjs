// SPDX-License-Identifier: MIT
// The in-page security suite (page-security-suite.mjs) in headless Chromium.
import { pageSecuritySuite } from './page-security-suite.mjs';

pageSecuritySuite('chromium');
