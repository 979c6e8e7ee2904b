import type { HermesConfig } from '../../config/loadConfig.js';
import { composeRunner } from '../../di/composeRunner.js';
import type { WiringOverrides } from '../../di/wiring.js';
import { handlersFromModules } from '../../runner/actionHandlerModules.js';
import { BUILT_IN_ACTIONS } from '../../runner/runnerExtensions.js';
import { BUNDLED_HANDLER_MODULES } from '../bundledHandlerModules.js';
import type { ActionRunnerHandlerDeps } from '../handlers/actionRunner.js';
import { handlerLogging } from './logging.js';

/** The action-runner function's composition root: the run pipeline (Port, run ledger, notification queue) with the bundled handler modules. */
export function composeActionRunnerFunction(config: HermesConfig, overrides: WiringOverrides = {}): ActionRunnerHandlerDeps {
  // No Powertools Tracer here: its X-Ray SDK costs this function about 6 ms of init, past the 60 ms target (bench:lambda).
  const runner = composeRunner(config, overrides, { handlers: handlersFromModules(BUNDLED_HANDLER_MODULES, BUILT_IN_ACTIONS) });
  return { partitionRunner: runner.pipeline.partitionRunner, ...handlerLogging(runner.wiring) };
}
