import type { Container } from 'inversify';
import { NOTIFICATION_TOKENS } from '../../../application/notifications/tokens.js';
import type { RegisterConnection } from '../../../application/notifications/usecases/RegisterConnection.js';
import { endpointObserver } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { handlerLogger } from '../shared/logging.js';
import { domainErrorReply, errorReply } from '../shared/replies.js';

/** `$connect`: registers the connection under the room and user the authorizer put in `requestContext.authorizer`. */
export function createConnectHandler(container: Container): WebSocketRouteHandler {
  const register = container.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
  const { logger, withContext } = handlerLogger(container);
  const observe = endpointObserver(container);

  return async (event, context) => {
    withContext(context);
    const { requestContext } = event;
    observe(requestContext);
    const authorizer = requestContext.authorizer;
    if (!authorizer?.room_id || !authorizer.user_id) {
      logger.warn('connect without authorizer context', { connectionId: requestContext.connectionId });
      return errorReply(403, 'UNAUTHORIZED', 'the connection has no authorizer context');
    }
    try {
      await register.execute({
        connectionId: requestContext.connectionId,
        roomId: authorizer.room_id,
        userId: authorizer.user_id,
        ...(typeof requestContext.connectedAt === 'number' ? { connectedAt: new Date(requestContext.connectedAt) } : {}),
      });
    } catch (error) {
      return domainErrorReply(error);
    }
    logger.info('connected', { connectionId: requestContext.connectionId, roomId: authorizer.room_id });
    return { statusCode: 200 };
  };
}
