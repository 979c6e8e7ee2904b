import { DomainError } from '../shared/HermesError.js';

/**
 * A message on the runs topic that is not a run hermes can understand. `reason` names what is
 * missing or wrong, never a value from the message (inputs may hold secrets).
 */
export class RunMessageInvalidError extends DomainError {
  readonly code = 'RUN_MESSAGE_INVALID';

  constructor(readonly reason: string) {
    super(`not a Port action run message: ${reason}`, { details: { reason } });
  }
}
