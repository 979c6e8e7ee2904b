import type { SecretName, SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { SecretNotConfiguredError } from './SecretNotConfiguredError.js';

/** Secrets already in hand: from validated environment variables, or generated for the `memory` profile. */
export class StaticSecretProvider implements SecretProvider {
  constructor(
    private readonly values: Readonly<Partial<Record<SecretName, string>>>,
    private readonly arnVariable: (name: SecretName) => string,
  ) {}

  async get(name: SecretName): Promise<string> {
    const value = this.values[name];
    if (value === undefined || value === '') throw new SecretNotConfiguredError(name, this.arnVariable(name));
    return value;
  }
}
