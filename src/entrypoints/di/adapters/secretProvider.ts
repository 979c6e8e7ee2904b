import type { SecretName, SecretProvider } from '../../../application/shared/ports/SecretProvider.js';
import { SecretsManagerSecretProvider } from '../../../adapters/aws/SecretsManagerSecretProvider.js';
import { StaticSecretProvider } from '../../../adapters/secrets/StaticSecretProvider.js';
import { secretIdsOf } from '../../config/awsConfig.js';
import { secretArnVariable } from '../../config/secretArnVariable.js';
import type { Wiring } from '../wiring.js';
import { secretsManagerClient } from './awsClients.js';

/**
 * The secret provider: Secrets Manager for every secret whose `*_SECRET_ARN` is set (and plain
 * value is not), the plain values for the others. Without any such variable, the plain values alone.
 */
export function secretProvider(wiring: Wiring): SecretProvider {
  return wiring.once('secrets', () => {
    const { core, env } = wiring.config;
    const plain = new StaticSecretProvider(core.secrets, (name: SecretName) => secretArnVariable(name));
    const secretIds: Partial<Record<SecretName, string>> = { ...secretIdsOf(env), ...core.secretArns };
    if (Object.keys(secretIds).length === 0) return plain;
    return new SecretsManagerSecretProvider(secretsManagerClient(wiring), secretIds, plain);
  });
}
