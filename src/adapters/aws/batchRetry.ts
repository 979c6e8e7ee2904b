import { type BackoffPolicy, waitBeforeRetry } from '../../application/shared/backoff.js';

/** How partially processed batch calls are retried: the one backoff formula, and an attempt cap. */
export interface BatchRetryPolicy extends BackoffPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
}

/** Retries of BatchWriteItem's UnprocessedItems and of SendMessageBatch/DeleteMessageBatch/ChangeMessageVisibilityBatch failures. */
export const DEFAULT_BATCH_RETRY: BatchRetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2_000 };

/** An item the service will not process, and why. */
export interface Refusal<T> {
  readonly item: T;
  readonly reason: string;
}

/** What one batch call left: items to send again (the service's side failed) and items refused for good. */
export interface BatchAttempt<T> {
  readonly retry: readonly T[];
  readonly refused?: ReadonlyArray<Refusal<T>>;
}

/** Reason given to items still unprocessed once the attempts are spent. */
export const STILL_UNPROCESSED = 'still failing after retries';

/**
 * The one partial-batch retry loop of the AWS adapters: sends `items`, then only what the service
 * left unprocessed, with backoff, up to `maxAttempts` calls. Resolves with what was refused and
 * what is still unprocessed at the end (reason {@link STILL_UNPROCESSED}); a rejected call rejects.
 */
export async function sendUntilProcessed<T>(
  items: readonly T[],
  send: (items: readonly T[]) => Promise<BatchAttempt<T>>,
  policy: BatchRetryPolicy,
  wait: (retry: number, policy: BackoffPolicy) => Promise<void> = waitBeforeRetry,
): Promise<Array<Refusal<T>>> {
  const refused: Array<Refusal<T>> = [];
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const result = await send(pending);
    refused.push(...(result.refused ?? []));
    pending = result.retry;
    if (pending.length === 0) break;
    if (attempt >= policy.maxAttempts) {
      refused.push(...pending.map((item) => ({ item, reason: STILL_UNPROCESSED })));
      break;
    }
    await wait(attempt, policy);
  }
  return refused;
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
