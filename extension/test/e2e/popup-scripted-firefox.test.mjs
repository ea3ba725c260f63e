// SPDX-License-Identifier: MIT
import { scriptedSuite } from './popup-scripted-suite.mjs';

scriptedSuite('firefox');
