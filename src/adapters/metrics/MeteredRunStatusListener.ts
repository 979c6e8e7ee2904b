import type { RunStatusChange, RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';
import type { Metrics } from '../../application/shared/ports/Metrics.js';

/** Runs started longer ago than this are forgotten (their outcome was never reported here). */
const MAX_TRACKED_RUNS = 10_000;

/**
 * Counts runs that end by action and status (`hermes_runs_total`) and times them from their
 * `IN_PROGRESS` change (`hermes_run_duration_seconds`), then tells the inner listener.
 */
export class MeteredRunStatusListener implements RunStatusListener {
  private readonly started = new Map<string, number>();

  constructor(
    private readonly inner: RunStatusListener,
    private readonly metrics: Metrics,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async runStatusChanged(change: RunStatusChange): Promise<void> {
    if (change.status === 'IN_PROGRESS') {
      if (this.started.size >= MAX_TRACKED_RUNS) this.started.delete(this.started.keys().next().value as string);
      this.started.set(change.runId, this.now());
    } else {
      this.metrics.increment('hermes_runs_total', { action: change.action, status: change.status });
      const start = this.started.get(change.runId);
      this.started.delete(change.runId);
      if (start !== undefined) this.metrics.observe('hermes_run_duration_seconds', (this.now() - start) / 1000);
    }
    await this.inner.runStatusChanged(change);
  }
}
