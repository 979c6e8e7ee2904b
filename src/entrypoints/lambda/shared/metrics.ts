import type { Context } from 'aws-lambda';
import type { HandlerLogging } from './logging.js';

/**
 * Wraps a handler so that each invocation captures the cold start (Lambda only: the local gateway
 * passes no context) and publishes what it recorded when it ends, even when it fails.
 */
export function withMetrics<E, R>(
  deps: HandlerLogging,
  handler: (event: E, context?: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  const metrics = deps.metrics;
  if (metrics === undefined) return handler;
  return async (event, context) => {
    if (context !== undefined) metrics.captureColdStart(context.functionName);
    try {
      return await handler(event, context);
    } finally {
      metrics.flush();
    }
  };
}
