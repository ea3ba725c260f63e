// SPDX-License-Identifier: MIT
// PassAgent's account features (account-features-suite.mjs) in headless Chromium.
import { accountFeaturesSuite } from './account-features-suite.mjs';

accountFeaturesSuite('chromium');
