import { loadConfig } from '../config/loadConfig.js';
import { composeConnectFunction } from './compose/connect.js';
import { createConnectHandler } from './handlers/connect.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createConnectHandler(composeConnectFunction(loadConfig(process.env)));
