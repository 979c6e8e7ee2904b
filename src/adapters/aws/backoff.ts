import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Retries of partially processed batch calls (BatchWriteItem, SendMessageBatch, DeleteMessageBatch). */
export const DEFAULT_BATCH_BACKOFF: BackoffPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2_000 };

/** "Full jitter" exponential backoff: a random delay in [0, min(max, base * 2^retry)). */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/** Waits before retry number `retry` (0 for the first retry). */
export function waitBeforeRetry(retry: number, policy: BackoffPolicy): Promise<void> {
  return sleep(backoffDelayMs(retry, policy));
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
