import type { UnregisterConnection } from '../../../application/notifications/usecases/UnregisterConnection.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';
import { domainErrorReply } from '../shared/replies.js';

/** `$disconnect`: forgets the connection (idempotent: a broadcast may have dropped it already). */
export interface DisconnectHandlerDeps extends HandlerLogging {
  readonly unregister: Pick<UnregisterConnection, 'execute'>;
}

export function createDisconnectHandler(deps: DisconnectHandlerDeps): WebSocketRouteHandler {
  const { unregister, logger } = deps;

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    const { connectionId, disconnectStatusCode } = event.requestContext;
    try {
      await unregister.execute(connectionId);
    } catch (error) {
      return domainErrorReply(error);
    }
    logger.info('disconnected', { connectionId, ...(disconnectStatusCode ? { statusCode: disconnectStatusCode } : {}) });
    return { statusCode: 200 };
  });
}
