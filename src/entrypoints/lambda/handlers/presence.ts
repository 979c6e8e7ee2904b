import type { ReplyPresence } from '../../../application/notifications/usecases/ReplyPresence.js';
import { type ConnectionsEndpointObserver, observeEndpoint } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { domainErrorReply } from '../shared/replies.js';

export interface PresenceHandlerDeps extends HandlerLogging {
  readonly replyPresence: Pick<ReplyPresence, 'execute'>;
  readonly endpoint?: ConnectionsEndpointObserver;
}

/** Route `presence`: `{"action":"presence"}` → `{"type":"presence","room_id","users":[...]}` posted to the sender. */
export function createPresenceHandler(deps: PresenceHandlerDeps): WebSocketRouteHandler {
  const { replyPresence, logger } = deps;

  return async (event, context) => {
    withLogContext(deps, context);
    const { requestContext } = event;
    observeEndpoint(deps.endpoint, requestContext);
    const authorizer = requestContext.authorizer;
    const sender = authorizer?.room_id && authorizer.user_id ? { roomId: authorizer.room_id, userId: authorizer.user_id } : undefined;
    try {
      const reply = await replyPresence.execute({ connectionId: requestContext.connectionId, sender });
      logger.debug('presence sent', { connectionId: requestContext.connectionId, users: reply.users.length });
    } catch (error) {
      return domainErrorReply(error);
    }
    return { statusCode: 200 };
  };
}
