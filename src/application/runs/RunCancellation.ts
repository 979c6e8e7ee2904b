import { setMaxListeners } from 'node:events';

/**
 * The runner's shutdown, as handlers see it: `signal` (every handler's `ctx.signal` follows it) is
 * aborted once a graceful shutdown's grace period is over. One per run pipeline.
 */
export class RunCancellation {
  private readonly controller = new AbortController();

  constructor() {
    // One listener per run in flight (16 per partition by default): not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborted when the runner gives up waiting for the handlers in flight. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts every handler in flight; what they did not report is redelivered. Idempotent. */
  abort(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('the runner is shutting down'));
  }
}
