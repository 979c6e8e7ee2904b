import { setTimeout as sleep } from 'node:timers/promises';

export interface TokenBucketOptions {
  /** Tokens per second; `Infinity`: no limit (only slow-downs make callers wait). */
  readonly ratePerSecond: number;
  /** Tokens that may be spent at once after a quiet spell (default: one second's worth, at least 1). */
  readonly burst?: number;
  readonly now?: () => number;
  readonly wait?: (ms: number) => Promise<unknown>;
}

/**
 * A token bucket shared by every send of one process (GCRA form: the time the next token is due),
 * so concurrent broadcasts together stay under `ratePerSecond`. `slowDown` makes every caller wait:
 * what a 429 from the service asks for.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly burstMs: number;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<unknown>;
  /** Starts full: the first `burst` callers go at once. */
  private nextDue = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: TokenBucketOptions) {
    this.intervalMs = Number.isFinite(options.ratePerSecond) ? 1000 / options.ratePerSecond : 0;
    const burst = options.burst ?? Math.max(1, Number.isFinite(options.ratePerSecond) ? options.ratePerSecond : 1);
    this.burstMs = this.intervalMs * Math.max(0, burst - 1);
    this.now = options.now ?? (() => performance.now());
    this.wait = options.wait ?? ((ms) => sleep(ms));
  }

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    const now = this.now();
    // Tokens saved up while idle, up to the burst.
    const due = Math.max(this.nextDue, now - this.burstMs, this.pausedUntil);
    this.nextDue = due + this.intervalMs;
    const delay = due - now;
    if (delay > 0) await this.wait(delay);
  }

  /** Nobody sends for `ms` from now (a later pause extends it; an earlier one never shortens it). */
  slowDown(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
