import { RegisterConnection } from '../../../application/notifications/usecases/RegisterConnection.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { connectionsEndpoint } from '../../di/adapters/notifier.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { ConnectHandlerDeps } from '../handlers/connect.js';
import { broadcastToRoom, presenceEvents } from './broadcast.js';
import { handlerLogging } from './logging.js';

/** The `$connect` function's composition root: the connection store, and the fan-out of `presence.join`. */
export function composeConnectFunction(config: HermesConfig, overrides: WiringOverrides = {}): ConnectHandlerDeps {
  const wiring = createWiring(config, overrides);
  return {
    register: new RegisterConnection(
      connectionRepository(wiring),
      wiring.clock,
      config.core.notification,
      presenceEvents(wiring),
      broadcastToRoom(wiring),
    ),
    endpoint: connectionsEndpoint(wiring),
    ...handlerLogging(wiring),
  };
}
