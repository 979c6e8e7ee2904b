import { UnregisterConnection } from '../../../application/notifications/usecases/UnregisterConnection.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { DisconnectHandlerDeps } from '../handlers/disconnect.js';
import { broadcastToRoom, presenceEvents } from './broadcast.js';
import { handlerLogging } from './logging.js';

/**
 * The `$disconnect` function's composition root: the connection store, and the fan-out of
 * `presence.leave` (to HERMES_CONNECTIONS_ENDPOINT: a `$disconnect` event's domain is the API's too).
 */
export function composeDisconnectFunction(config: HermesConfig, overrides: WiringOverrides = {}): DisconnectHandlerDeps {
  const wiring = createWiring(config, overrides);
  return {
    unregister: new UnregisterConnection(connectionRepository(wiring), presenceEvents(wiring), broadcastToRoom(wiring)),
    ...handlerLogging(wiring),
  };
}
