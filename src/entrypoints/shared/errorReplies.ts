import type { HermesError } from '../../domain/shared/HermesError.js';
import { DomainError, PermanentError, TransientError, errorMessage, retryAfterMsOf } from '../../domain/shared/HermesError.js';

/** How an entrypoint answers an error: HTTP status and body code, CLI exit code, and whether it is shown or logged. */
export interface ErrorReply {
  readonly status: number;
  readonly code: string;
  /** What the caller is told; an unexpected error's own message is never shown to a remote caller. */
  readonly message: string;
  /** `hermes` exit code: 2 for a usage mistake, 1 otherwise. */
  readonly exitCode: 1 | 2;
  /** Seconds before a retry may help (a transient failure that knows it). */
  readonly retryAfterSeconds?: number;
  /** True when the error is not the caller's doing and belongs in the log at error level. */
  readonly unexpected: boolean;
}

/** Status of the domain error codes that are not a plain 400. */
const DOMAIN_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  NOTIFICATION_TOO_LARGE: 413,
  CONNECTION_NOT_FOUND: 404,
};

/** Codes of permanent errors with a status of their own. */
const PERMANENT_STATUS: Readonly<Record<string, number>> = {
  USAGE_INVALID: 400,
  PROVISION_CONFLICT: 409,
};

/** An error that carries its own HTTP status (the local gateway's HttpError). */
function ownStatus(error: HermesError): number | undefined {
  const status = (error as { readonly status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

/**
 * The one mapping from errors to replies, shared by the Lambda handlers, the local HTTP router and
 * the CLI. By branch and `code`: a DomainError is the caller's mistake (4xx with its code); a
 * ConfigurationError is hermes' own (500, exit 1); a TransientError is 503 with its retry delay;
 * anything else is a 500 that hides its details.
 */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof DomainError) {
    return { status: DOMAIN_STATUS[error.code] ?? 400, code: error.code, message: error.message, exitCode: 1, unexpected: false };
  }
  if (error instanceof TransientError) {
    const retryAfterMs = retryAfterMsOf(error);
    return {
      status: 503,
      code: error.code,
      message: error.message,
      exitCode: 1,
      ...(retryAfterMs !== undefined && { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) }),
      unexpected: false,
    };
  }
  if (error instanceof PermanentError) {
    const status = ownStatus(error) ?? PERMANENT_STATUS[error.code] ?? (error.code === 'CONFIGURATION_INVALID' ? 500 : 400);
    const exitCode = error.code === 'USAGE_INVALID' ? 2 : 1;
    return { status, code: error.code, message: error.message, exitCode, unexpected: status >= 500 };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'internal server error', exitCode: 1, unexpected: true };
}

/** The message of `error` for the local user of the CLI, who may see what went wrong. */
export function cliMessage(error: unknown): string {
  return errorMessage(error);
}
