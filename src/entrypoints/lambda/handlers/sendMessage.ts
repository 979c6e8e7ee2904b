import type { RelayClientMessage } from '../../../application/notifications/usecases/RelayClientMessage.js';
import { type ConnectionsEndpointObserver, observeEndpoint } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';
import { domainErrorReply, errorReply } from '../shared/replies.js';
import { ROUTE_KEYS } from '../shared/routes.js';
import { parseMessageBody } from './messageBody.js';

/**
 * Route `sendMessage`: body `{"action":"sendMessage","data":...,"type"?}` is broadcast to the
 * sender's room. Room and sender come from the authorizer context, never from the body. A bad
 * message gets a 4xx error reply; nothing is sent back on success (the sender is in the room).
 */
export interface SendMessageHandlerDeps extends HandlerLogging {
  readonly relay: Pick<RelayClientMessage, 'execute'>;
  /** The notifier's `@connections` endpoint, learnt from the event unless configured. */
  readonly endpoint?: ConnectionsEndpointObserver;
}

export function createSendMessageHandler(deps: SendMessageHandlerDeps): WebSocketRouteHandler {
  const { relay, logger } = deps;

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    deps.metrics?.increment('hermes_messages_received_total', { route: ROUTE_KEYS.sendMessage });
    const { requestContext } = event;
    observeEndpoint(deps.endpoint, requestContext);
    const parsed = parseMessageBody(event.body, event.isBase64Encoded);
    if (!parsed.ok) return errorReply(400, 'MALFORMED_MESSAGE', parsed.reason);
    const authorizer = requestContext.authorizer;
    const sender = authorizer?.room_id && authorizer.user_id ? { roomId: authorizer.room_id, userId: authorizer.user_id } : undefined;
    try {
      const report = await relay.execute({
        connectionId: requestContext.connectionId,
        sender,
        type: parsed.message['type'],
        data: parsed.message['data'],
      });
      logger.debug('message relayed', { connectionId: requestContext.connectionId, ...report });
    } catch (error) {
      return domainErrorReply(error);
    }
    return { statusCode: 200 };
  });
}
