import { TransientError } from '../../../domain/shared/HermesError.js';
import { portCallOptions } from './portCallOptions.js';

/**
 * Port could not be reached, throttled us (429) or failed (5xx), and the client's own retries are
 * spent. Retryable: the run should be tried again later, after `retryAfterMs` when Port said so.
 */
export class PortUnavailableError extends TransientError {
  readonly code = 'PORT_UNAVAILABLE';

  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    detail: string,
    retryAfterMs?: number,
  ) {
    super(`Port is unavailable to ${operation}: ${detail}`, retryAfterMs, portCallOptions({ operation, status }));
  }
}
