import { loadConfig } from '../config/loadConfig.js';
import { composeDefaultFunction } from './compose/default.js';
import { createDefaultHandler } from './handlers/default.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createDefaultHandler(composeDefaultFunction(loadConfig(process.env)));
