import type { ForeignRunMessageKind } from '../../domain/runs/RunMessageNotForRunnerError.js';
import type { RunOutcome } from '../../domain/runs/RunOutcome.js';

/** Why a message was not executed. */
export type SkipReason = 'invalid-message' | 'not-allowed' | 'unknown-action' | 'unsupported-operation' | ForeignRunMessageKind;

/** What HandleActionRun did with one message. Retries are signalled by a `RunDeferredError` instead. */
export type RunResult =
  | {
      readonly kind: 'skipped';
      readonly reason: SkipReason;
      readonly runId?: string;
      readonly action?: string;
      /** Safe to log: never a value from the message. */
      readonly detail?: string;
    }
  /** Already handled and reported (a redelivery). */
  | { readonly kind: 'duplicate'; readonly runId: string; readonly action: string }
  | {
      readonly kind: 'completed';
      readonly runId: string;
      readonly action: string;
      readonly outcome: RunOutcome;
      /** False when Port refused the final status for good (e.g. the run does not exist there). */
      readonly reported: boolean;
    };
