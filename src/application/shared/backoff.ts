import { setTimeout as sleep } from 'node:timers/promises';

/** Exponential backoff, capped, with jitter so that many retrying clients do not move in step. */
export interface BackoffPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The one backoff formula of hermes. Delay before retry number `retry` (1 = the first retry): a
 * random value in [c/2, c] where c = min(max, base * 2^(retry-1)) ("equal jitter": never zero,
 * never above the cap).
 */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Waits before retry number `retry` (1 = the first retry); an aborted signal ends the wait early (rejecting). */
export function waitBeforeRetry(retry: number, policy: BackoffPolicy, signal?: AbortSignal): Promise<void> {
  return sleep(backoffDelayMs(retry, policy), undefined, signal ? { signal } : undefined);
}
