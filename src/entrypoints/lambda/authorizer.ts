import { loadConfig } from '../config/loadConfig.js';
import { composeAuthorizerFunction } from './compose/authorizer.js';
import { createAuthorizerHandler } from './handlers/authorizer.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createAuthorizerHandler(composeAuthorizerFunction(loadConfig(process.env)));
