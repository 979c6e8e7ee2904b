/** Statuses of a Port action run. Port creates a run IN_PROGRESS; a runner ends it SUCCESS or FAILURE. */
export const RUN_STATUSES = ['IN_PROGRESS', 'SUCCESS', 'FAILURE'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A status that ends a run. */
export type TerminalRunStatus = Exclude<RunStatus, 'IN_PROGRESS'>;
