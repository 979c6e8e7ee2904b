/** Configuration that cannot be used; the message names every offending variable and why. */
export class ConfigurationError extends Error {
  readonly code = 'CONFIGURATION_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}
