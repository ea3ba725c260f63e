// SPDX-License-Identifier: MIT
// Names that the background and the extension's pages both use.

/** The runtime port on which extension pages call host actions (background/router.js). */
export const HOST_PORT = 'pa-host';

/** The message the background broadcasts with its state. */
export const STATE_MESSAGE = 'pa-state';
