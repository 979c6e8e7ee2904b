import type { Wiring } from '../../di/wiring.js';
import type { HandlerLogging } from '../shared/logging.js';

/** The composition's logger and Powertools' own Lambda-context mechanism, as handler factories take them. */
export function handlerLogging(wiring: Wiring): HandlerLogging {
  return { logger: wiring.logger, metrics: wiring.metrics, ...(wiring.addLogContext ? { addLogContext: wiring.addLogContext } : {}) };
}
