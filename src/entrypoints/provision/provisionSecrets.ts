import { randomBytes } from 'node:crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretName } from '../../application/shared/ports/SecretProvider.js';
import type { Env } from '../config/Env.js';
import { secretArnVariable } from '../config/secretArnVariable.js';
import { ProvisionConflictError, type ProvisionStep } from './ProvisionStep.js';

/** The secrets `provision --with-secrets` creates: the notification side's own. Port and Kafka credentials come from their owners. */
export const PROVISIONED_SECRETS: readonly SecretName[] = ['JWT_SECRET', 'TOKEN_PASSCODE'];

/** Random bytes of a generated value (HS512 wants a 64-byte key). */
const GENERATED_BYTES: Readonly<Partial<Record<SecretName, number>>> = { JWT_SECRET: 64, TOKEN_PASSCODE: 32 };

/** `hermes/JWT_SECRET` unless the secret's `*_SECRET_ARN` variable names one. */
export function secretIdFor(name: SecretName, env: Env): string {
  return env[secretArnVariable(name)]?.trim() || `hermes/${name}`;
}

/**
 * Creates each missing secret, valued from its plain variable when set, else random. Existing
 * secrets are left alone (never rotated). The reply names the ARN to put in `*_SECRET_ARN`; values
 * are never reported.
 */
export async function provisionSecrets(
  client: SecretsManagerClient,
  env: Env,
  options: { readonly dryRun: boolean },
): Promise<ProvisionStep[]> {
  const steps: ProvisionStep[] = [];
  for (const name of PROVISIONED_SECRETS) {
    const secretId = secretIdFor(name, env);
    const variable = secretArnVariable(name);
    const existingArn = await describeSecret(client, secretId);
    if (existingArn) {
      steps.push({ kind: 'secret', name: secretId, action: 'none', applied: false, detail: `${variable}=${existingArn}` });
      continue;
    }
    if (secretId.startsWith('arn:')) {
      throw new ProvisionConflictError(`${variable} names ${secretId}, which does not exist; a secret is created by name, not ARN`);
    }
    const plain = env[name]?.trim();
    const source = plain ? `value of ${name}` : 'random value';
    if (options.dryRun) {
      steps.push({ kind: 'secret', name: secretId, action: 'create', applied: false, detail: source });
      continue;
    }
    const { ARN } = await client.send(
      new CreateSecretCommand({
        Name: secretId,
        Description: `hermes ${name}`,
        SecretString: plain || randomBytes(GENERATED_BYTES[name] ?? 32).toString('base64url'),
      }),
    );
    steps.push({
      kind: 'secret',
      name: secretId,
      action: 'create',
      applied: true,
      detail: `${source}; set ${variable}=${ARN ?? secretId}`,
    });
  }
  return steps;
}

async function describeSecret(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  try {
    const { ARN, DeletedDate } = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (DeletedDate) {
      throw new ProvisionConflictError(`secret ${secretId} is scheduled for deletion; restore it or pick another name`);
    }
    return ARN ?? secretId;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
