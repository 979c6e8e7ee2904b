import { RelayClientMessage } from '../../../application/notifications/usecases/RelayClientMessage.js';
import { RandomIdGenerator } from '../../../adapters/system/RandomIdGenerator.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { connectionsEndpoint } from '../../di/adapters/notifier.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { SendMessageHandlerDeps } from '../handlers/sendMessage.js';
import { broadcastToRoom, historyRecorder } from './broadcast.js';
import { handlerLogging } from './logging.js';

/** The `sendMessage` function's composition root: connection store, room history, notifier and its `@connections` endpoint. */
export function composeSendMessageFunction(config: HermesConfig, overrides: WiringOverrides = {}): SendMessageHandlerDeps {
  const wiring = createWiring(config, overrides);
  const relay = new RelayClientMessage(
    connectionRepository(wiring),
    broadcastToRoom(wiring),
    new RandomIdGenerator(),
    wiring.clock,
    historyRecorder(wiring),
  );
  return { relay, endpoint: connectionsEndpoint(wiring), ...handlerLogging(wiring) };
}
