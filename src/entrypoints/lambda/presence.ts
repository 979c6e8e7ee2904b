import { loadConfig } from '../config/loadConfig.js';
import { composePresenceFunction } from './compose/presence.js';
import { createPresenceHandler } from './handlers/presence.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createPresenceHandler(composePresenceFunction(loadConfig(process.env)));
