import type { RunOutcome } from '../../../domain/runs/RunOutcome.js';
import type { RunStatus } from '../../../domain/runs/RunStatus.js';

/** A run changed status: `IN_PROGRESS` when its handler starts, then its final status once reported. */
export interface RunStatusChange {
  readonly runId: string;
  readonly action: string;
  readonly status: RunStatus;
  /** The final outcome (summary, link); absent for `IN_PROGRESS`. */
  readonly outcome?: RunOutcome;
}

/**
 * Told about run status changes (the composition root wires it to the notifications feature: the
 * runs room). Best effort for the runner: a listener that fails never fails a run.
 */
export interface RunStatusListener {
  runStatusChanged(change: RunStatusChange): Promise<void>;
}

/** A listener that ignores every change (no runs room configured). */
export const IGNORE_RUN_STATUS: RunStatusListener = { runStatusChanged: async () => undefined };
