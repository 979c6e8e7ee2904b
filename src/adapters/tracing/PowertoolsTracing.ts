import { Tracer } from '@aws-lambda-powertools/tracer';

/** Wraps an AWS SDK v3 client so that its calls show up in the function's trace. */
export type ClientTracer = <T>(client: T) => T;

/** Leaves clients as they are (no tracing). */
export const UNTRACED: ClientTracer = (client) => client;

/**
 * Powertools Tracer (AWS X-Ray): each SDK call of the wrapped clients becomes a subsegment of the
 * invocation's trace (the template turns on `Tracing: Active`). Outside Lambda, Tracer disables
 * itself and clients are left as they are.
 */
export function powertoolsClientTracer(tracer: Tracer = new Tracer({ serviceName: 'hermes' })): ClientTracer {
  return (client) => tracer.captureAWSv3Client(client);
}
