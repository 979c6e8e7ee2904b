import type { JsonValue } from '../../../domain/shared/Json.js';
import { type ConnectionsEndpointObserver, observeEndpoint } from '../shared/endpoint.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';
import { domainErrorReply, errorReply } from '../shared/replies.js';
import { parseMessageBody } from './messageBody.js';

/** What a client's message on a route tells its use case: who sent it, from which room, and its JSON body. */
export interface ClientMessage {
  readonly connectionId: string;
  /** Room and user from the `$connect` authorizer's context, never from the body. */
  readonly sender: { readonly roomId: string; readonly userId: string } | undefined;
  /** The message as a JSON object (empty for a route that reads no body). */
  readonly body: { readonly [key: string]: JsonValue };
}

export interface ClientMessageRouteDeps extends HandlerLogging {
  /** The notifier's `@connections` endpoint, learnt from the event unless configured. */
  readonly endpoint?: ConnectionsEndpointObserver;
}

export interface ClientMessageRouteOptions {
  /** The route key, the `route` label of `hermes_messages_received_total`. */
  readonly route: string;
  /** Whether the body must be a JSON object (a malformed one is answered 400 `MALFORMED_MESSAGE`). */
  readonly readsBody: boolean;
}

/**
 * A WebSocket route that hands a client's message to one use case: it counts the message, learns the
 * `@connections` endpoint, reads the sender from the authorizer context, and answers 200, or the
 * error reply of a domain error. What the use case sends back goes through `@connections`.
 */
export function clientMessageRoute(
  options: ClientMessageRouteOptions,
  deps: ClientMessageRouteDeps,
  handle: (message: ClientMessage) => Promise<void>,
): WebSocketRouteHandler {
  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    deps.metrics?.increment('hermes_messages_received_total', { route: options.route });
    const { requestContext } = event;
    observeEndpoint(deps.endpoint, requestContext);
    let body: ClientMessage['body'] = {};
    if (options.readsBody) {
      const parsed = parseMessageBody(event.body, event.isBase64Encoded);
      if (!parsed.ok) return errorReply(400, 'MALFORMED_MESSAGE', parsed.reason);
      body = parsed.message;
    }
    const authorizer = requestContext.authorizer;
    const sender = authorizer?.room_id && authorizer.user_id ? { roomId: authorizer.room_id, userId: authorizer.user_id } : undefined;
    try {
      await handle({ connectionId: requestContext.connectionId, sender, body });
    } catch (error) {
      return domainErrorReply(error);
    }
    return { statusCode: 200 };
  });
}
