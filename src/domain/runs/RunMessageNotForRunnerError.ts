import { DomainError } from '../shared/HermesError.js';

/** Messages on the runs topic that are Port's but not action runs this runner executes. */
export type ForeignRunMessageKind = 'workflow-node-run' | 'change-log' | 'webhook-agent-run' | 'no-action-identifier';

/**
 * A message of Port's that this runner must leave alone (another runner or Port's agent owns it):
 * skipped with one info line naming its kind, never reported to Port.
 */
export class RunMessageNotForRunnerError extends DomainError {
  readonly code = 'RUN_MESSAGE_NOT_FOR_RUNNER';

  constructor(
    readonly kind: ForeignRunMessageKind,
    readonly runId?: string,
  ) {
    super(`not an action run for this runner: ${kind}`, { details: { kind } });
  }
}
