import { UnregisterConnection } from '../../../application/notifications/usecases/UnregisterConnection.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { DisconnectHandlerDeps } from '../handlers/disconnect.js';
import { handlerLogging } from './logging.js';

/** The `$disconnect` function's composition root: the connection store only. */
export function composeDisconnectFunction(config: HermesConfig, overrides: WiringOverrides = {}): DisconnectHandlerDeps {
  const wiring = createWiring(config, overrides);
  return { unregister: new UnregisterConnection(connectionRepository(wiring)), ...handlerLogging(wiring) };
}
