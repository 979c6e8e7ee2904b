import { errorReply as replyOf } from '../../shared/errorReplies.js';
import type { WebSocketResult } from './events.js';

/** The body of every error hermes sends to a client or a backend. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly known_actions?: readonly string[];
  };
}

export function errorBody(code: string, message: string, knownActions?: readonly string[]): ErrorBody {
  return { error: { code, message, ...(knownActions ? { known_actions: knownActions } : {}) } };
}

/** A route result whose body is sent back to the sender. */
export function errorReply(statusCode: number, code: string, message: string, knownActions?: readonly string[]): WebSocketResult {
  return { statusCode, body: JSON.stringify(errorBody(code, message, knownActions)) };
}

/**
 * The reply for an error the caller should hear about (the shared mapping of errorReplies.ts); an
 * unexpected one is rethrown so Lambda reports it (API Gateway answers "Internal server error").
 */
export function domainErrorReply(error: unknown): WebSocketResult {
  const reply = replyOf(error);
  if (reply.unexpected) throw error;
  return errorReply(reply.status, reply.code, reply.message);
}
