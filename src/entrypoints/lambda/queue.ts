import { loadConfig } from '../config/loadConfig.js';
import { composeQueueFunction } from './compose/queue.js';
import { createQueueHandler } from './handlers/queue.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createQueueHandler(composeQueueFunction(loadConfig(process.env)));
