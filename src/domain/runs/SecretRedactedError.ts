import { DomainError } from '../shared/HermesError.js';

/** A handler's error whose message held a decrypted secret input: passed on with the secret masked, without its cause. */
export class SecretRedactedError extends DomainError {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}
