import { PermanentError } from '../../domain/shared/HermesError.js';

/** A secret the running code needs has no source; the message names the variables to set. */
export class SecretNotConfiguredError extends PermanentError {
  readonly code = 'SECRET_NOT_CONFIGURED';

  constructor(
    readonly secretName: string,
    arnVariable: string,
  ) {
    super(`${secretName} is not configured: set ${secretName} (or ${arnVariable} to read it from AWS Secrets Manager)`, {
      details: { secretName, arnVariable },
    });
  }
}
