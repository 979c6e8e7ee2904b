import type { PartitionRunner } from '../../application/runs/PartitionRunner.js';
import { RUN_TOKENS } from '../../application/runs/tokens.js';
import { createActionRunnerHandler } from './handlers/actionRunner.js';
import { lambdaContainer } from './shared/lambdaContainer.js';
import { handlerLogger } from './shared/logging.js';

const container = lambdaContainer();

/** Lambda entry point of the Port action runner (self-managed Kafka trigger on `ORG_ID.runs`); composed once per execution environment. */
export const handler = createActionRunnerHandler({
  partitionRunner: container.get<PartitionRunner>(RUN_TOKENS.PartitionRunner),
  ...handlerLogger(container),
});
