import { DomainError } from './HermesError.js';

/** Input that breaks a domain rule; `field` names what was wrong, never its (possibly secret) value. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';

  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`, { details: { field } });
  }
}
