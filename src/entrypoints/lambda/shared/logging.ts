import type { Logger as PowertoolsBaseLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import type { InvocationMetrics } from '../../../adapters/metrics/InvocationMetrics.js';

/** What every handler factory takes for logging. */
export interface HandlerLogging {
  readonly logger: Logger;
  /** Adds the Lambda context (request id, function name, cold start) to the following log lines. */
  readonly addLogContext?: (context: Context) => void;
  /** Where the handler records its metrics; published after each invocation (`observed`). */
  readonly metrics?: InvocationMetrics;
}

/** Powertools' own mechanism for the Lambda context (`Logger.addContext`), for the composition to hand to handlers. */
export function powertoolsLogContext(base: PowertoolsBaseLogger): (context: Context) => void {
  return (context) => base.addContext(context);
}

/** Calls `addLogContext` when the invocation has a context (the local gateway passes none). */
export function withLogContext(logging: HandlerLogging, context: Context | undefined): void {
  if (context !== undefined) logging.addLogContext?.(context);
}
