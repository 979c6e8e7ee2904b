import { PermanentError } from '../../domain/shared/HermesError.js';

/** Configuration that cannot be used; the message names every offending variable and why, never a secret value. */
export class ConfigurationError extends PermanentError {
  readonly code = 'CONFIGURATION_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { details: { problems } });
  }
}
