import { PermanentError } from '../../../domain/shared/HermesError.js';
import { portCallOptions } from './portCallOptions.js';

/** Port answered with a 4xx that retrying cannot fix (bad input, unknown run, forbidden). Permanent. */
export class PortRequestRejectedError extends PermanentError {
  readonly code = 'PORT_REQUEST_REJECTED';

  constructor(
    readonly operation: string,
    readonly status: number,
    /** Port's error identifier (e.g. `not_found`, `invalid_request`), when it sent one. */
    readonly portError: string | undefined,
    /** Port's explanation, shortened. */
    readonly portMessage: string | undefined,
  ) {
    super(
      `Port refused to ${operation}: HTTP ${status}${portError ? ` ${portError}` : ''}${portMessage ? ` (${portMessage})` : ''}`,
      portCallOptions({ operation, status }),
    );
  }
}
