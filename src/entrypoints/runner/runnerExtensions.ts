import type { InvocationMapping } from '../../application/runs/invocations/InvocationMapping.js';
import type { JqEngine } from '../../application/runs/ports/JqEngine.js';
import type { WebhookClient } from '../../application/runs/ports/WebhookClient.js';
import type { SourcedHandler } from './actionHandlerModules.js';

/** Actions built into hermes; a handler module claiming one is an error. */
export const BUILT_IN_ACTIONS = ['create_vm'] as const;

/** What a team adds to the runner without forking it: handler modules and port-agent webhook mappings. */
export interface RunnerExtensions {
  /** From `HERMES_ACTION_HANDLERS` (or bundled into the Lambda). */
  readonly handlers: readonly SourcedHandler[];
  /** From `HERMES_INVOCATIONS`. */
  readonly invocations?: {
    readonly mappings: readonly InvocationMapping[];
    readonly jq: JqEngine;
    readonly client: WebhookClient;
  };
}

export const NO_RUNNER_EXTENSIONS: RunnerExtensions = { handlers: [] };
