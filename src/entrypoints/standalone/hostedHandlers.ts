import type { Container } from 'inversify';
import { createAuthorizerHandler } from '../lambda/handlers/authorizer.js';
import { createConnectHandler } from '../lambda/handlers/connect.js';
import { createDefaultHandler } from '../lambda/handlers/default.js';
import { createDisconnectHandler } from '../lambda/handlers/disconnect.js';
import { createQueueHandler, type QueueHandler } from '../lambda/handlers/queue.js';
import { createSendMessageHandler } from '../lambda/handlers/sendMessage.js';
import { ROUTE_KEYS } from '../lambda/shared/routes.js';
import type { GatewayHandlers } from './websocket/WebSocketGateway.js';

export interface HostedHandlers extends GatewayHandlers {
  readonly queue: QueueHandler;
}

/** The very Lambda handlers of `src/entrypoints/lambda`, built on the gateway's container. */
export function hostedHandlers(container: Container): HostedHandlers {
  return {
    authorizer: createAuthorizerHandler(container),
    connect: createConnectHandler(container),
    disconnect: createDisconnectHandler(container),
    routes: {
      [ROUTE_KEYS.sendMessage]: createSendMessageHandler(container),
      [ROUTE_KEYS.default]: createDefaultHandler(container),
    },
    queue: createQueueHandler(container),
  };
}
