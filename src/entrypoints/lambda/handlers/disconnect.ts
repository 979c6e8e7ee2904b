import type { Container } from 'inversify';
import { NOTIFICATION_TOKENS } from '../../../application/notifications/tokens.js';
import type { UnregisterConnection } from '../../../application/notifications/usecases/UnregisterConnection.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { handlerLogger } from '../shared/logging.js';
import { domainErrorReply } from '../shared/replies.js';

/** `$disconnect`: forgets the connection (idempotent: a broadcast may have dropped it already). */
export function createDisconnectHandler(container: Container): WebSocketRouteHandler {
  const unregister = container.get<UnregisterConnection>(NOTIFICATION_TOKENS.UnregisterConnection);
  const { logger, withContext } = handlerLogger(container);

  return async (event, context) => {
    withContext(context);
    const { connectionId, disconnectStatusCode } = event.requestContext;
    try {
      await unregister.execute(connectionId);
    } catch (error) {
      return domainErrorReply(error);
    }
    logger.info('disconnected', { connectionId, ...(disconnectStatusCode ? { statusCode: disconnectStatusCode } : {}) });
    return { statusCode: 200 };
  };
}
