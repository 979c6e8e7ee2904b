import { loadConfig } from '../config/loadConfig.js';
import { portSection } from '../config/portConfig.js';
import { composeActionRunnerFunction } from './compose/actionRunner.js';
import { createActionRunnerHandler } from './handlers/actionRunner.js';

/** Lambda entry point of the Port action runner (self-managed Kafka trigger on `ORG_ID.runs`), composed once per execution environment. */
export const handler = createActionRunnerHandler(composeActionRunnerFunction(loadConfig(process.env, { sections: [portSection] })));
