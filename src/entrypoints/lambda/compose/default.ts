import type { HermesConfig } from '../../config/loadConfig.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { HandlerLogging } from '../shared/logging.js';
import { handlerLogging } from './logging.js';

/** The `$default` function's composition root: it only answers, so a logger is all it needs. */
export function composeDefaultFunction(config: HermesConfig, overrides: WiringOverrides = {}): HandlerLogging {
  return handlerLogging(createWiring(config, overrides));
}
