import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsConfig } from '../config/awsConfig.js';
import type { Env } from '../config/Env.js';
import { runServiceStep } from './describeServiceError.js';
import type { ProvisionStep } from './ProvisionStep.js';
import { provisionQueues } from './provisionQueues.js';
import { provisionSecrets } from './provisionSecrets.js';
import { provisionTables } from './provisionTables.js';
import { tableDefinitions } from './tableDefinitions.js';

export interface ProvisionClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Needed only with `withSecrets`. */
  readonly secretsManager?: SecretsManagerClient;
}

export interface ProvisionOptions {
  /** Describe only: report what would change, change nothing. */
  readonly dryRun?: boolean;
  /** Also create the JWT_SECRET / TOKEN_PASSCODE secrets in Secrets Manager. */
  readonly withSecrets?: boolean;
  /** Longest wait for a new table to become ACTIVE. */
  readonly maxWaitSeconds?: number;
}

/**
 * Creates or corrects, idempotently, what hermes needs on AWS (or LocalStack, or emulators): the
 * connections, grants and run-ledger tables (GSI, TTL), the notification queue and its DLQ,
 * and optionally the secrets. Running it twice changes nothing the second time.
 */
export async function provision(
  config: AwsConfig,
  env: Env,
  clients: ProvisionClients,
  options: ProvisionOptions = {},
): Promise<ProvisionStep[]> {
  const dryRun = options.dryRun ?? false;
  const steps = [
    ...(await runServiceStep('dynamodb', config, env, () =>
      provisionTables(clients.dynamodb, tableDefinitions(config.tables), {
        dryRun,
        ...(options.maxWaitSeconds ? { maxWaitSeconds: options.maxWaitSeconds } : {}),
      }),
    )),
    ...(await runServiceStep('sqs', config, env, () => provisionQueues(clients.sqs, config.queue, { dryRun }))),
  ];
  if (options.withSecrets) {
    const secretsManager = clients.secretsManager;
    if (!secretsManager) throw new Error('provisioning secrets needs a Secrets Manager client');
    steps.push(...(await runServiceStep('secretsManager', config, env, () => provisionSecrets(secretsManager, env, { dryRun }))));
  }
  return steps;
}
