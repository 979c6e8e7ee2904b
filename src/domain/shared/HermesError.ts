/** What every hermes error may carry besides its message. */
export interface HermesErrorOptions {
  /** The error this one explains (kept for logs; never shown to clients). */
  readonly cause?: unknown;
  /** Machine-readable, non-secret facts about the failure (a field name, an operation). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Which branch an error belongs to, under a registry symbol: the same in every copy of hermes loaded in a process. */
const BRANCH = Symbol.for('hermes.error.branch');
type Branch = 'domain' | 'transient' | 'permanent';

function branchOf(value: unknown): Branch | undefined {
  return typeof value === 'object' && value !== null ? (value as { [BRANCH]?: Branch })[BRANCH] : undefined;
}

/** Plain `instanceof`: `value` has `target.prototype` in its prototype chain. */
function ownInstance(target: object, value: unknown): boolean {
  return Function.prototype[Symbol.hasInstance].call(target, value);
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

  /**
   * `instanceof HermesError` (and of its three branches) also holds for the errors of another copy of
   * hermes in the process (a handler module bundling its own `hermes/runner`, `dist/` beside `src/`),
   * told by their brand; leaf classes keep plain `instanceof`, and across copies are told by `code`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return ownInstance(this, value) || (this === HermesError && branchOf(value) !== undefined);
  }
}

/** The stable code of a hermes error, from this copy of hermes or another; undefined for anything else. */
export function hermesErrorCode(error: unknown): string | undefined {
  return error instanceof HermesError && typeof error.code === 'string' ? error.code : undefined;
}

/** A rule of the domain or of the input was broken: retrying the same input cannot help. */
export abstract class DomainError extends HermesError {
  readonly retryable = false;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return ownInstance(this, value) || (this === DomainError && branchOf(value) === 'domain');
  }
}
Object.defineProperty(DomainError.prototype, BRANCH, { value: 'domain' });

/**
 * Something outside the work itself failed for now (a service unreachable, throttled, a lease held
 * elsewhere): the same work should be tried again, no sooner than `retryAfterMs` when known.
 */
export abstract class TransientError extends HermesError {
  readonly retryable = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return ownInstance(this, value) || (this === TransientError && branchOf(value) === 'transient');
  }

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

  static override [Symbol.hasInstance](value: unknown): boolean {
    return ownInstance(this, value) || (this === PermanentError && branchOf(value) === 'permanent');
  }
}
Object.defineProperty(TransientError.prototype, BRANCH, { value: 'transient' });
Object.defineProperty(PermanentError.prototype, BRANCH, { value: 'permanent' });

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
