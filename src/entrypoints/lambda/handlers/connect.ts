import type { RegisterConnection } from '../../../application/notifications/usecases/RegisterConnection.js';
import { type ConnectionsEndpointObserver, observeEndpoint } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';
import { domainErrorReply, errorReply } from '../shared/replies.js';

/** `$connect`: registers the connection under the room and user the authorizer put in `requestContext.authorizer`. */
export interface ConnectHandlerDeps extends HandlerLogging {
  readonly register: Pick<RegisterConnection, 'execute'>;
  /** Learns the `@connections` endpoint from the event, when this composition posts to connections. */
  readonly endpoint?: ConnectionsEndpointObserver;
}

export function createConnectHandler(deps: ConnectHandlerDeps): WebSocketRouteHandler {
  const { register, logger } = deps;

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    const { requestContext } = event;
    observeEndpoint(deps.endpoint, requestContext);
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
  });
}
