import type { Container } from 'inversify';
import { NOTIFICATION_TOKENS } from '../../../application/notifications/tokens.js';
import type { RelayClientMessage } from '../../../application/notifications/usecases/RelayClientMessage.js';
import { endpointObserver } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { handlerLogger } from '../shared/logging.js';
import { domainErrorReply, errorReply } from '../shared/replies.js';
import { parseMessageBody } from './messageBody.js';

/**
 * Route `sendMessage`: body `{"action":"sendMessage","data":...,"type"?}` is broadcast to the
 * sender's room. Room and sender come from the authorizer context, never from the body. A bad
 * message gets a 4xx error reply; nothing is sent back on success (the sender is in the room).
 */
export function createSendMessageHandler(container: Container): WebSocketRouteHandler {
  const relay = container.get<RelayClientMessage>(NOTIFICATION_TOKENS.RelayClientMessage);
  const { logger, withContext } = handlerLogger(container);
  const observe = endpointObserver(container);

  return async (event, context) => {
    withContext(context);
    const { requestContext } = event;
    observe(requestContext);
    const parsed = parseMessageBody(event.body, event.isBase64Encoded);
    if (!parsed.ok) return errorReply(400, 'MALFORMED_MESSAGE', parsed.reason);
    const authorizer = requestContext.authorizer;
    const sender =
      authorizer?.room_id && authorizer.user_id ? { roomId: authorizer.room_id, userId: authorizer.user_id } : undefined;
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
  };
}
