import { DomainError } from '../shared/HermesError.js';

export interface InputProblem {
  /** The input's name (e.g. `cpu`). */
  readonly field: string;
  /** Why it was refused; written for the person who ran the action. Never echoes the value. */
  readonly reason: string;
}

/** The code of {@link ActionInputInvalidError}, by which it is told from any copy of hermes. */
export const ACTION_INPUT_INVALID = 'ACTION_INPUT_INVALID';

/** The inputs of a run break the action's schema; the run ends FAILURE with this message. */
export class ActionInputInvalidError extends DomainError {
  readonly code = ACTION_INPUT_INVALID;

  constructor(
    readonly action: string,
    readonly problems: readonly InputProblem[],
  ) {
    super(`invalid inputs for ${action}: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`, {
      details: { action, fields: problems.map((p) => p.field) },
    });
  }
}
