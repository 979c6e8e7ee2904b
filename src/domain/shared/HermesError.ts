/** What every hermes error may carry besides its message. */
export interface HermesErrorOptions {
  /** The error this one explains (kept for logs; never shown to clients). */
  readonly cause?: unknown;
  /** Machine-readable, non-secret facts about the failure (a field name, an operation). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one base of every error hermes raises on purpose. `code` is stable and machine-readable;
 * `retryable` tells callers whether the same work may succeed later. Entrypoints map errors to
 * replies (HTTP status, WebSocket error frame, CLI exit code) by these two fields alone.
 */
export abstract class HermesError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  protected constructor(message: string, options: HermesErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }
}

/** A rule of the domain or of the input was broken: retrying the same input cannot help. */
export abstract class DomainError extends HermesError {
  readonly retryable = false;
}

/**
 * Something outside the work itself failed for now (a service unreachable, throttled, a lease held
 * elsewhere): the same work should be tried again, no sooner than `retryAfterMs` when known.
 */
export abstract class TransientError extends HermesError {
  readonly retryable = true;

  protected constructor(
    message: string,
    /** The earliest useful retry, when known (a retry-after header, the end of a lease). */
    readonly retryAfterMs?: number,
    options: HermesErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A permanent failure that is not a domain rule (configuration, a refused request, a bad CLI call). */
export abstract class PermanentError extends HermesError {
  readonly retryable = false;
}

/** True for errors that say trying again later may help. */
export function isRetryable(error: unknown): boolean {
  return error instanceof HermesError && error.retryable;
}

/** The delay an error suggests before a retry, when it carries one. */
export function retryAfterMsOf(error: unknown): number | undefined {
  if (!(error instanceof TransientError)) return undefined;
  const value = error.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The message of anything thrown, for log lines and error summaries. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The name of anything thrown (`TypeError`, `GoneException`), or its type when it is not an Error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
