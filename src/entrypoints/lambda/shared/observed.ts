import type { Context } from 'aws-lambda';
import { withLogCorrelation } from '../../../adapters/logging/logCorrelation.js';
import type { HandlerLogging } from './logging.js';

/** What the API Gateway events tell about their request (WebSocket routes and the REQUEST authorizer). */
interface CorrelatedEvent {
  readonly requestContext?: {
    readonly requestId?: string;
    readonly connectionId?: string;
    readonly authorizer?: { readonly room_id?: unknown } | null;
  };
}

function correlationOf(event: unknown, context: Context | undefined): Record<string, string | undefined> {
  const request = (event as CorrelatedEvent | undefined)?.requestContext;
  const roomId = request?.authorizer?.room_id;
  return {
    requestId: request?.requestId ?? context?.awsRequestId,
    connectionId: request?.connectionId,
    roomId: typeof roomId === 'string' ? roomId : undefined,
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
    withLogCorrelation(correlationOf(event, context), async () => {
      if (context !== undefined) metrics?.captureColdStart(context.functionName);
      try {
        return await handler(event, context);
      } finally {
        metrics?.flush();
      }
    });
}
