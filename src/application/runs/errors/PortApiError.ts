/**
 * A call to Port's API that did not succeed. `retryable` tells the runner whether trying the same
 * run again later can help (Port unreachable, throttled, failing) or not (the request was refused).
 * Messages carry the operation, the HTTP status and Port's error code, never a token or a secret.
 */
export abstract class PortApiError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;

  protected constructor(
    message: string,
    /** What was attempted, e.g. `upsert entity vm/backend-prod-vm`. */
    readonly operation: string,
    /** HTTP status, when Port answered. */
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
