import type { ResumeRoom } from '../../../application/notifications/usecases/ResumeRoom.js';
import { type ConnectionsEndpointObserver, observeEndpoint } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { domainErrorReply, errorReply } from '../shared/replies.js';
import { parseMessageBody } from './messageBody.js';

export interface ResumeHandlerDeps extends HandlerLogging {
  readonly resume: Pick<ResumeRoom, 'execute'>;
  /** The notifier's `@connections` endpoint, learnt from the event unless configured. */
  readonly endpoint?: ConnectionsEndpointObserver;
}

/**
 * Route `resume`: body `{"action":"resume","since":<seq>,"epoch":"<epoch>"}`. The missed
 * notifications (a `gap` first when some are lost) and `{"type":"resumed",...}` are posted to the
 * connection; a bad message gets a 4xx error reply.
 */
export function createResumeHandler(deps: ResumeHandlerDeps): WebSocketRouteHandler {
  const { resume, logger } = deps;

  return async (event, context) => {
    withLogContext(deps, context);
    const { requestContext } = event;
    observeEndpoint(deps.endpoint, requestContext);
    const parsed = parseMessageBody(event.body, event.isBase64Encoded);
    if (!parsed.ok) return errorReply(400, 'MALFORMED_MESSAGE', parsed.reason);
    const authorizer = requestContext.authorizer;
    const sender = authorizer?.room_id && authorizer.user_id ? { roomId: authorizer.room_id, userId: authorizer.user_id } : undefined;
    try {
      const report = await resume.execute({
        connectionId: requestContext.connectionId,
        sender,
        since: parsed.message['since'],
        epoch: parsed.message['epoch'],
      });
      logger.debug('resumed', { connectionId: requestContext.connectionId, replayed: report.replayed, gap: report.gap !== undefined });
    } catch (error) {
      return domainErrorReply(error);
    }
    return { statusCode: 200 };
  };
}
