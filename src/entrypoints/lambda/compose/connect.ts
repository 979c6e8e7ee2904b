import { RegisterConnection } from '../../../application/notifications/usecases/RegisterConnection.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { ConnectHandlerDeps } from '../handlers/connect.js';
import { handlerLogging } from './logging.js';

/** The `$connect` function's composition root: the connection store only. */
export function composeConnectFunction(config: HermesConfig, overrides: WiringOverrides = {}): ConnectHandlerDeps {
  const wiring = createWiring(config, overrides);
  return {
    register: new RegisterConnection(connectionRepository(wiring), wiring.clock, config.core.notification),
    ...handlerLogging(wiring),
  };
}
