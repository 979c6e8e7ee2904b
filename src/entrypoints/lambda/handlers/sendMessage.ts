import type { RelayClientMessage } from '../../../application/notifications/usecases/RelayClientMessage.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { ROUTE_KEYS } from '../shared/routes.js';
import { clientMessageRoute, type ClientMessageRouteDeps } from './clientMessageRoute.js';

export interface SendMessageHandlerDeps extends ClientMessageRouteDeps {
  readonly relay: Pick<RelayClientMessage, 'execute'>;
}

/**
 * Route `sendMessage`: body `{"action":"sendMessage","data":...,"type"?}` is broadcast to the
 * sender's room. Room and sender come from the authorizer context, never from the body. A bad
 * message gets a 4xx error reply; nothing is sent back on success (the sender is in the room).
 */
export function createSendMessageHandler(deps: SendMessageHandlerDeps): WebSocketRouteHandler {
  return clientMessageRoute({ route: ROUTE_KEYS.sendMessage, readsBody: true }, deps, async ({ connectionId, sender, body }) => {
    const report = await deps.relay.execute({ connectionId, sender, type: body['type'], data: body['data'] });
    deps.logger.debug('message relayed', { connectionId, ...report });
  });
}
