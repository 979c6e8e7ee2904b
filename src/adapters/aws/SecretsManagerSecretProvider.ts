import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretName, SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { errorMessage, errorName, TransientError } from '../../domain/shared/HermesError.js';

/**
 * A secret could not be read from AWS Secrets Manager. Names the secret and its id, never a value.
 * Transient: the next call fetches again (Secrets Manager reachable again, the secret given a value).
 */
export class SecretUnavailableError extends TransientError {
  readonly code = 'SECRET_UNAVAILABLE';

  constructor(
    readonly secretName: SecretName,
    secretId: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`${secretName} could not be read from AWS Secrets Manager (${secretId}): ${reason}`, undefined, {
      cause,
      details: { secretName, secretId },
    });
  }
}

/**
 * Secrets from AWS Secrets Manager (through Powertools Parameters), for the names given an id
 * (ARN or name); every other name is asked of `fallback` (plain configuration). Each secret is
 * fetched once per process and kept: concurrent first calls share one request, a failed fetch is
 * retried by the next call. Values are never logged nor put in error messages.
 */
export class SecretsManagerSecretProvider implements SecretProvider {
  private readonly provider: SecretsProvider;
  private readonly cache = new Map<SecretName, Promise<string>>();

  constructor(
    client: SecretsManagerClient,
    private readonly secretIds: Readonly<Partial<Record<SecretName, string>>>,
    private readonly fallback: SecretProvider,
  ) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  get(name: SecretName): Promise<string> {
    const secretId = this.secretIds[name];
    if (secretId === undefined) return this.fallback.get(name);
    let value = this.cache.get(name);
    if (!value) {
      value = this.fetch(name, secretId);
      this.cache.set(name, value);
      value.catch(() => this.cache.delete(name));
    }
    return value;
  }

  private async fetch(name: SecretName, secretId: string): Promise<string> {
    let raw: string | Uint8Array | undefined;
    try {
      // Kept by this class for the life of the process; Powertools' own cache would expire it.
      raw = await this.provider.get(secretId, { maxAge: 0 });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new SecretUnavailableError(name, secretId, describe(cause), cause);
    }
    const value = raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : raw;
    if (value === undefined || value === '') throw new SecretUnavailableError(name, secretId, 'the secret has no value');
    return value;
  }
}

function describe(error: unknown): string {
  const name = errorName(error);
  return error instanceof Error && name !== 'Error' ? `${name}: ${errorMessage(error)}` : errorMessage(error);
}
