import type { NotificationComposition } from '../di/composeNotifications.js';
import { createAuthorizerHandler } from '../lambda/handlers/authorizer.js';
import { createConnectHandler } from '../lambda/handlers/connect.js';
import { createDefaultHandler } from '../lambda/handlers/default.js';
import { createDisconnectHandler } from '../lambda/handlers/disconnect.js';
import { createQueueHandler, type QueueHandler } from '../lambda/handlers/queue.js';
import { createSendMessageHandler } from '../lambda/handlers/sendMessage.js';
import type { HandlerLogging } from '../lambda/shared/logging.js';
import { ROUTE_KEYS } from '../lambda/shared/routes.js';
import type { GatewayHandlers } from './websocket/WebSocketGateway.js';

export interface HostedHandlers extends GatewayHandlers {
  readonly queue: QueueHandler;
}

/** The very Lambda handlers of `src/entrypoints/lambda`, given the gateway's notification composition. */
export function hostedHandlers(notifications: NotificationComposition): HostedHandlers {
  const logging: HandlerLogging = { logger: notifications.logger, metrics: notifications.metrics };
  const endpoint = notifications.connectionsEndpoint;
  return {
    authorizer: createAuthorizerHandler({ ...logging, authorize: notifications.authorize }),
    connect: createConnectHandler({ ...logging, register: notifications.register, endpoint }),
    disconnect: createDisconnectHandler({ ...logging, unregister: notifications.unregister }),
    routes: {
      [ROUTE_KEYS.sendMessage]: createSendMessageHandler({ ...logging, relay: notifications.relay, endpoint }),
      [ROUTE_KEYS.default]: createDefaultHandler(logging),
    },
    queue: createQueueHandler({ ...logging, deliver: notifications.deliver, maxReceiveCount: notifications.maxReceiveCount }),
  };
}
