// SPDX-License-Identifier: MIT
import { realPopupSuite } from './popup-real-suite.mjs';

realPopupSuite('firefox');
