import type { ModuleExports } from '../runner/actionHandlerModules.js';

/**
 * The handler modules bundled into the action-runner function. Empty here; `npm run build:lambda --
 * --handlers <paths>` replaces this module in the bundle with one that imports each of them (on
 * Lambda the modules are bundled, never read from disk).
 */
export const BUNDLED_HANDLER_MODULES: ReadonlyArray<{ readonly source: string; readonly exports: ModuleExports }> = [];
