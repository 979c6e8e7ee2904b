import { PortApiError } from './PortApiError.js';

/**
 * Port could not be reached, throttled us (429) or failed (5xx), and the client's own retries are
 * spent. Retryable: the run should be tried again later, after `retryAfterMs` when Port said so.
 */
export class PortUnavailableError extends PortApiError {
  readonly code = 'PORT_UNAVAILABLE';
  readonly retryable = true;

  constructor(operation: string, status: number | undefined, detail: string, readonly retryAfterMs?: number) {
    super(`Port is unavailable to ${operation}: ${detail}`, operation, status);
  }
}
