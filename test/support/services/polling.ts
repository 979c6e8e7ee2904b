import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Checked before each attempt; a returned message aborts the wait with that error. */
  readonly abortReason?: () => string | undefined;
}

/** Retries `attempt` until it resolves, the deadline passes or abortReason() says stop. */
export async function pollUntil<T>(what: string, attempt: () => Promise<T>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.abortReason?.();
    if (reason !== undefined) throw new Error(`${what}: ${reason}`);
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${what}: not ready after ${options.timeoutMs} ms (last error: ${detail})`);
    }
    await sleep(options.intervalMs);
  }
}
