/** Tunables of the action runner, validated at the edge from configuration. */
export interface RunnerSettings {
  /** `PORT_ACTIONS`: when set, only these action identifiers are handled; others are ignored. */
  readonly allowedActions?: ReadonlySet<string>;
  /** Room that receives `{type: "run"}` notifications (`HERMES_RUNS_ROOM`, default `port-<PORT_ORG_ID>`, else `port-runs`); none when undefined. */
  readonly runsRoom?: string;
  /** How long a claim on a run lasts; must exceed a handler's worst-case duration, Port retries included. */
  readonly leaseMs: number;
  /** `PORT_DECRYPT_FIELDS`: input paths decrypted besides those Port marks as encrypted. */
  readonly decryptFields?: readonly string[];
  /** `HERMES_RUN_TIMEOUT_SECONDS`: a handler running longer ends FAILURE "timed out" (default 900 s, Lambda's limit). */
  readonly runTimeoutMs: number;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = { leaseMs: 120_000, runTimeoutMs: 900_000 };
