import { DeliverQueuedNotification } from '../../../application/notifications/usecases/DeliverQueuedNotification.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { QueueHandlerDeps } from '../handlers/queue.js';
import { broadcastToRoom, historyRecorder } from './broadcast.js';
import { handlerLogging } from './logging.js';

/**
 * The `queue` function's composition root: connection store, room history and notifier. Its `@connections` endpoint
 * is HERMES_CONNECTIONS_ENDPOINT (an SQS event tells no API), which the template sets.
 */
export function composeQueueFunction(config: HermesConfig, overrides: WiringOverrides = {}): QueueHandlerDeps {
  const wiring = createWiring(config, overrides);
  return {
    deliver: new DeliverQueuedNotification(broadcastToRoom(wiring), wiring.clock, historyRecorder(wiring)),
    ...handlerLogging(wiring),
  };
}
