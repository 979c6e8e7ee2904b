import { PermanentError } from '../../../domain/shared/HermesError.js';

/** An HTTP answer other than success, raised by a route and written by the router. */
export class HttpError extends PermanentError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** A body to send instead of hermes' `{error: {code, message}}` (e.g. AWS-shaped errors). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}
