import { loadConfig } from '../config/loadConfig.js';
import { composeDisconnectFunction } from './compose/disconnect.js';
import { createDisconnectHandler } from './handlers/disconnect.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createDisconnectHandler(composeDisconnectFunction(loadConfig(process.env)));
