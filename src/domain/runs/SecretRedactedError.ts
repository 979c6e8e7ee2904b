import { DomainError, TransientError } from '../shared/HermesError.js';

/** A handler's error whose message held a decrypted secret input: passed on with the secret masked, without its cause. */
export class SecretRedactedError extends DomainError {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/** The transient counterpart: the run is retried as the original error asked, its message masked. */
export class SecretRedactedTransientError extends TransientError {
  readonly code: string;

  constructor(message: string, code: string, retryAfterMs: number | undefined) {
    super(message, retryAfterMs);
    this.code = code;
  }
}
