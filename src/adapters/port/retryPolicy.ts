import { backoffDelayMs, type BackoffPolicy } from '../../application/shared/backoff.js';

/** Exponential backoff with jitter, capped: hermes's one formula (`application/shared/backoff.ts`). */
export interface BackoffOptions extends BackoffPolicy {
  readonly random?: () => number;
}

/** Delay before retry number `attempt` (1 = first retry), by `backoffDelayMs`. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  return backoffDelayMs(attempt, options, options.random);
}

/**
 * The wait a throttled response asks for, from `retry-after` (seconds or an HTTP date) or
 * `x-ratelimit-reset` (seconds to wait, or an epoch time in seconds or milliseconds).
 */
export function retryAfterFromHeaders(headers: { get(name: string): string | null }, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && reset.trim() !== '') {
    const value = Number(reset);
    if (Number.isFinite(value) && value >= 0) {
      if (value > 1e12) return Math.max(0, value - now);
      if (value > 1e9) return Math.max(0, value * 1000 - now);
      return value * 1000;
    }
  }
  return undefined;
}

/** Statuses worth retrying: request timeout, too early, throttled, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
