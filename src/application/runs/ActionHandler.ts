import type { ActionRun } from '../../domain/runs/ActionRun.js';
import type { PortApi } from './ports/PortApi.js';

/** What a handler can do besides its own work. */
export interface ActionHandlerContext {
  /**
   * Adds a line to the run's log in Port. Returns at once: lines are sent in the background and
   * delivered before the run's final status.
   */
  log(message: string): void;
  /** Port's API (entities, run updates), authenticated with the runner's cached token and retried like the runner's own calls. */
  readonly port: PortApi;
  /**
   * Aborted when the run must stop: it ran longer than `HERMES_RUN_TIMEOUT_SECONDS`, or the runner
   * is shutting down and its grace period is over. Pass it to `fetch` and the like.
   */
  readonly signal: AbortSignal;
}

/** What a successful handler reports; HandleActionRun turns it into a SUCCESS status. */
export interface ActionHandlerResult {
  readonly statusLabel?: string;
  readonly summary?: string;
  readonly link?: readonly string[];
  /** The run's id in the system that executed it (a pipeline id). */
  readonly externalRunId?: string;
}

/**
 * Code that executes one Port action. It throws `ActionInputInvalidError` (or another DomainError)
 * for bad input, a Port API error (`PortUnavailableError`, `PortRequestRejectedError`, …) when Port fails; HandleActionRun turns errors into a FAILURE
 * status or a retry. Handlers should be idempotent per run id: after a crash a run may execute again.
 */
export interface ActionHandler {
  /** The action identifier this handler executes, e.g. `create_vm`. */
  readonly action: string;
  /** Trigger operations it accepts (`CREATE`, `DAY-2`, `DELETE`); undefined accepts any. */
  readonly operations?: readonly string[];
  /**
   * True when the handler's last log line may close the run: that line is then held back until the
   * handler returns and, when the result sets no status label, summary or link, sent with the
   * terminal status in one call (`terminationStatus`) instead of a line and a PATCH. Lines before
   * it are sent at once; the last one shows when the run ends. Default false: every line at once.
   */
  readonly endsWithLogLine?: boolean;
  handle(run: ActionRun, context: ActionHandlerContext): Promise<ActionHandlerResult>;
}
