import { ReplyPresence } from '../../../application/notifications/usecases/ReplyPresence.js';
import { powertoolsClientTracer } from '../../../adapters/tracing/PowertoolsTracing.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { connectionNotifier, connectionsEndpoint } from '../../di/adapters/notifier.js';
import { roomPresence } from '../../di/adapters/roomPresence.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { PresenceHandlerDeps } from '../handlers/presence.js';
import { handlerLogging } from './logging.js';

/** The `presence` function's composition root: connection store (and its room index), notifier. */
export function composePresenceFunction(config: HermesConfig, overrides: WiringOverrides = {}): PresenceHandlerDeps {
  // DynamoDB and @connections calls traced in X-Ray.
  const wiring = createWiring(config, { traceClient: powertoolsClientTracer(), ...overrides });
  return {
    replyPresence: new ReplyPresence(connectionRepository(wiring), roomPresence(wiring), connectionNotifier(wiring)),
    endpoint: connectionsEndpoint(wiring),
    ...handlerLogging(wiring),
  };
}
