/** Exponential backoff with full jitter, capped. */
export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random?: () => number;
}

/** Delay before retry number `attempt` (1 = first retry): random in [base·2^(attempt-1)/2, base·2^(attempt-1)], capped. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The wait a throttled response asks for, from `retry-after` (seconds or an HTTP date) or
 * `x-ratelimit-reset` (seconds to wait, or an epoch time in seconds or milliseconds).
 */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
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
