import { TransientError } from '../../../domain/shared/HermesError.js';

/**
 * A run could not be completed now for a reason outside the run itself (Port or the ledger is
 * unavailable, or another worker holds the run). The message must not be acknowledged: the Kafka
 * consumer retries it with backoff, and a Lambda invocation fails so its event source retries.
 */
export class RunDeferredError extends TransientError {
  readonly code = 'RUN_DEFERRED';

  constructor(
    readonly runId: string,
    reason: string,
    /** The earliest useful retry, when known (Port's retry-after, the end of another worker's lease). */
    retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(`run ${runId} deferred: ${reason}`, retryAfterMs, { ...options, details: { runId } });
  }
}
