import type { Context } from 'aws-lambda';
import { withLogCorrelation } from '../../../adapters/logging/logCorrelation.js';
import type { HandlerLogging } from './logging.js';

/** What the API Gateway events tell about their request (WebSocket routes and the REQUEST authorizer). */
interface CorrelatedEvent {
  readonly requestContext?: {
    readonly requestId?: string;
    readonly connectionId?: string;
    readonly authorizer?: { readonly room_id?: string } | null;
  };
}

/** API Gateway's request id (Powertools adds the Lambda one as `function_request_id`), the connection and its room. */
function correlationOf(event: unknown): Record<string, string | undefined> {
  const request = (event as CorrelatedEvent | undefined)?.requestContext;
  return {
    requestId: request?.requestId,
    connectionId: request?.connectionId,
    roomId: request?.authorizer?.room_id,
  };
}

/**
 * Wraps a handler: every log line of the invocation carries its `requestId`, `connectionId` and
 * `roomId` where the event has them; the cold start is captured (Lambda only: the local gateway
 * passes no context) and the invocation's metrics are published when it ends, even when it fails.
 */
export function observed<E, R>(
  deps: HandlerLogging,
  handler: (event: E, context?: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  const metrics = deps.metrics;
  return (event, context) =>
    withLogCorrelation(correlationOf(event), async () => {
      if (context) metrics?.captureColdStart(context.functionName);
      try {
        return await handler(event, context);
      } finally {
        metrics?.flush();
      }
    });
}
