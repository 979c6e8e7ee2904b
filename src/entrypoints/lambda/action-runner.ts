import { createActionRunnerHandler } from './handlers/actionRunner.js';
import { lambdaContainer } from './shared/lambdaContainer.js';

/** Lambda entry point of the Port action runner (self-managed Kafka trigger on `ORG_ID.runs`); container built once per execution environment. */
export const handler = createActionRunnerHandler(lambdaContainer());
