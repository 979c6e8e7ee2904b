import { powertoolsClientTracer } from '../../../adapters/tracing/PowertoolsTracing.js';
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
  // The ledger's, queue's and secret's SDK calls traced in X-Ray (Tracer captures Port's fetch calls too).
  const runner = composeRunner(
    config,
    { traceClient: powertoolsClientTracer(), ...overrides },
    { handlers: handlersFromModules(BUNDLED_HANDLER_MODULES, BUILT_IN_ACTIONS) },
  );
  return { partitionRunner: runner.pipeline.partitionRunner, ...handlerLogging(runner.wiring) };
}
