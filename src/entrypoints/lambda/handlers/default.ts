import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';
import { errorReply } from '../shared/replies.js';
import { KNOWN_ACTIONS, ROUTE_KEYS } from '../shared/routes.js';
import { parseMessageBody } from './messageBody.js';

const SHOWN_ACTION_CHARS = 64;

/** `$default`: a message no route matched. Answers the sender with an error naming the known actions. */
export function createDefaultHandler(deps: HandlerLogging): WebSocketRouteHandler {
  const { logger } = deps;
  const known = KNOWN_ACTIONS.join(', ');

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    deps.metrics?.increment('hermes_messages_received_total', { route: ROUTE_KEYS.default });
    const parsed = parseMessageBody(event.body, event.isBase64Encoded);
    const action = parsed.ok ? parsed.message['action'] : undefined;
    const problem =
      typeof action === 'string'
        ? `unknown action "${action.slice(0, SHOWN_ACTION_CHARS)}"`
        : parsed.ok
          ? 'the message has no "action"'
          : parsed.reason;
    logger.debug('unroutable message', { connectionId: event.requestContext.connectionId });
    return errorReply(400, 'UNKNOWN_ACTION', `${problem}; known actions: ${known}`, KNOWN_ACTIONS);
  });
}
