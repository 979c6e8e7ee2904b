import { safeParse, type $ZodType, type output } from 'zod/v4/core';
import type { ActionRun } from '../../domain/runs/ActionRun.js';
import { ActionInputInvalidError } from '../../domain/runs/ActionInputInvalidError.js';
import type { ActionHandler, ActionHandlerContext, ActionHandlerResult } from './ActionHandler.js';
import { inputProblemsOf } from './inputProblems.js';

/** The run a defined handler receives: the run as Port sent it, its inputs as the handler's schema parsed them. */
export type HandlerRun<Inputs> = Omit<ActionRun, 'inputs'> & { readonly inputs: Inputs };

/** What a team writes to handle one Port action (see `docs/port-runner.md`, "Write your own handler"). */
export interface ActionHandlerDefinition<Schema extends $ZodType | undefined = undefined> {
  /** The action's identifier in Port, e.g. `restart_service` (a blueprint-prefixed `service_restart_service` reaches it too). */
  readonly action: string;
  /** Trigger operations accepted (`CREATE`, `DAY-2`, `DELETE`); others are skipped. Default: any. */
  readonly operations?: readonly string[];
  /** A zod schema (classic `zod` or `zod/mini`) of the action's user inputs. Inputs that fail it end the run FAILURE "Invalid input", the handler not called. */
  readonly inputs?: Schema;
  /** True when the handler's last log line may end the run in one call (see `ActionHandler.endsWithLogLine`). */
  readonly endsWithLogLine?: boolean;
  /**
   * Does the work. Return what SUCCESS should show (status label, summary, links); throw a
   * `DomainError` for a failure the user should read, anything else for a generic FAILURE.
   */
  handle(
    run: HandlerRun<Schema extends $ZodType ? output<Schema> : Readonly<Record<string, unknown>>>,
    context: ActionHandlerContext,
  ): Promise<ActionHandlerResult>;
}

/**
 * An `ActionHandler` from a definition: the typed helper of handler modules (`HERMES_ACTION_HANDLERS`),
 * exported by `hermes/runner`. Validates the inputs with the definition's schema first, with the
 * same FAILURE summary as `create_vm` (`invalid inputs for <action>: <field> <why>; …`).
 */
export function defineActionHandler<Schema extends $ZodType | undefined = undefined>(
  definition: ActionHandlerDefinition<Schema>,
): ActionHandler {
  const schema = definition.inputs;
  return {
    action: definition.action,
    ...(definition.operations !== undefined && { operations: [...definition.operations] }),
    ...(definition.endsWithLogLine !== undefined && { endsWithLogLine: definition.endsWithLogLine }),
    async handle(run: ActionRun, context: ActionHandlerContext): Promise<ActionHandlerResult> {
      let inputs: unknown = run.inputs;
      if (schema !== undefined) {
        const parsed = safeParse(schema, run.inputs);
        if (!parsed.success) throw new ActionInputInvalidError(definition.action, inputProblemsOf(parsed.error, run.inputs));
        inputs = parsed.data;
      }
      const typed = Object.freeze({ ...run, inputs, describe: () => run.describe() });
      return definition.handle(typed as Parameters<typeof definition.handle>[0], context);
    },
  };
}
