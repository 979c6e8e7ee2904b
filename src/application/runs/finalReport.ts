import type { RunOutcome } from '../../domain/runs/RunOutcome.js';

/**
 * True when the outcome sets more than the status: a status label, a summary or links, which only
 * `PATCH /v1/actions/runs/{id}` carries. Otherwise a run's last log line may end it
 * (`terminationStatus`), one call instead of two.
 */
export function needsStatusPatch(outcome: RunOutcome): boolean {
  return (
    outcome.statusLabel !== undefined ||
    outcome.summary !== undefined ||
    outcome.externalRunId !== undefined ||
    (outcome.link !== undefined && outcome.link.length > 0)
  );
}

/** A handled run: its outcome, and the last log line held back to end the run with, if any. */
export interface ExecutedRun {
  readonly outcome: RunOutcome;
  /** Sent with the terminal status (`terminationStatus`) instead of a PATCH. */
  readonly finalLogLine?: string;
}
