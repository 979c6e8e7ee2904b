import { DomainError } from '../../../domain/shared/HermesError.js';

/** A handler ran longer than `HERMES_RUN_TIMEOUT_SECONDS`: the run ends FAILURE "timed out". */
export class RunTimedOutError extends DomainError {
  readonly code = 'RUN_TIMED_OUT';

  constructor(
    readonly action: string,
    readonly timeoutMs: number,
  ) {
    super(`${action} timed out after ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`, {
      details: { action, timeoutMs },
    });
  }
}
