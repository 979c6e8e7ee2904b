import { DomainError } from '../shared/HermesError.js';

/** An input Port marked as encrypted (or listed in `PORT_DECRYPT_FIELDS`) that does not decrypt. */
export class SecretInputUndecryptableError extends DomainError {
  readonly code = 'SECRET_INPUT_UNDECRYPTABLE';

  constructor(readonly input: string) {
    super(`secret input ${input} could not be decrypted`, { details: { input } });
  }
}
