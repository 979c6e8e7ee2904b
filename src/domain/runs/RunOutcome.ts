import type { TerminalRunStatus } from './RunStatus.js';

/** How a run ended, as reported to Port (`PATCH /v1/actions/runs/{id}`) and to the runs room. */
export interface RunOutcome {
  readonly status: TerminalRunStatus;
  /** Short label next to the status in Port's UI, e.g. "Deploying". */
  readonly statusLabel?: string;
  /** One or two sentences for the user; never a stack trace or a secret. */
  readonly summary?: string;
  /** Links shown on the run (the created entity, external logs). */
  readonly link?: readonly string[];
  /** The run's id in the system that executed it (a CI pipeline id), shown by Port. */
  readonly externalRunId?: string;
}

/** Port truncates nothing for us: keep what we send short and single-line where it matters. */
export const MAX_SUMMARY_LENGTH = 1_000;
export const MAX_STATUS_LABEL_LENGTH = 100;

export function boundedText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
