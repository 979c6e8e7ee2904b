import type { HermesConfig } from '../../config/loadConfig.js';
import { composeRunner } from '../../di/composeRunner.js';
import type { WiringOverrides } from '../../di/wiring.js';
import type { ActionRunnerHandlerDeps } from '../handlers/actionRunner.js';
import { handlerLogging } from './logging.js';

/** The action-runner function's composition root: the run pipeline (Port, run ledger, notification queue). */
export function composeActionRunnerFunction(config: HermesConfig, overrides: WiringOverrides = {}): ActionRunnerHandlerDeps {
  const runner = composeRunner(config, overrides);
  return { partitionRunner: runner.pipeline.partitionRunner, ...handlerLogging(runner.wiring) };
}
