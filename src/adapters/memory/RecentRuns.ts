import type { RunStatusChange, RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';
import type { RunStatus } from '../../domain/runs/RunStatus.js';

/** One run as the operator's console lists it. */
export interface RecentRun {
  readonly runId: string;
  readonly action: string;
  readonly status: RunStatus;
  readonly summary?: string;
  readonly link?: readonly string[];
  /** ISO 8601: when this status was reported. */
  readonly updatedAt: string;
}

/** The last `capacity` runs this process saw change status, newest first (the admin console's list). */
export class RecentRuns implements RunStatusListener {
  private readonly runs = new Map<string, RecentRun>();

  constructor(
    private readonly capacity = 50,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async runStatusChanged(change: RunStatusChange): Promise<void> {
    this.runs.delete(change.runId);
    this.runs.set(change.runId, {
      runId: change.runId,
      action: change.action,
      status: change.status,
      ...(change.outcome?.summary !== undefined && { summary: change.outcome.summary }),
      ...(change.outcome?.link !== undefined && { link: change.outcome.link }),
      updatedAt: this.now().toISOString(),
    });
    if (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value as string);
  }

  /** Newest first. */
  list(): RecentRun[] {
    return [...this.runs.values()].reverse();
  }
}
