import { DomainError } from '../../../domain/shared/HermesError.js';
import type { WebSocketResult } from './events.js';

/** The body of every error hermes sends to a client or a backend. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly known_actions?: readonly string[];
  };
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  NOTIFICATION_TOO_LARGE: 413,
  CONNECTION_NOT_FOUND: 404,
};

/** The HTTP status of a domain error (400 for a code without a more precise one). */
export function statusOfDomainError(error: DomainError): number {
  return STATUS_BY_CODE[error.code] ?? 400;
}

export function errorBody(code: string, message: string, knownActions?: readonly string[]): ErrorBody {
  return { error: { code, message, ...(knownActions ? { known_actions: knownActions } : {}) } };
}

/** A route result whose body is sent back to the sender. */
export function errorReply(statusCode: number, code: string, message: string, knownActions?: readonly string[]): WebSocketResult {
  return { statusCode, body: JSON.stringify(errorBody(code, message, knownActions)) };
}

/** The reply for a domain error; anything else is rethrown so Lambda reports it (API Gateway answers "Internal server error"). */
export function domainErrorReply(error: unknown): WebSocketResult {
  if (error instanceof DomainError) return errorReply(statusOfDomainError(error), error.code, error.message);
  throw error;
}
