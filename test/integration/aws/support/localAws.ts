import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, createDynamoDocumentClient, createSqsClient } from '../../../../src/adapters/aws/clients.js';
import { loadAwsConfig, type AwsConfig } from '../../../../src/entrypoints/config/awsConfig.js';
import type { Env } from '../../../../src/entrypoints/config/Env.js';
import { provision } from '../../../../src/entrypoints/provision/provision.js';
import type { ProvisionStep } from '../../../../src/entrypoints/provision/ProvisionStep.js';
import { dynamoDbLocal, sqsEmulator, uniqueName, type AwsServiceEndpoint } from '../../../support/services/index.js';

/** The environment of a `localstack`-profile hermes talking to the test's DynamoDB Local and fauxqs, with fresh resource names. */
export async function localAwsEnv(extra: Env = {}): Promise<Record<string, string>> {
  const [ddb, sqs] = await Promise.all([dynamoDbLocal(), sqsEmulator()]);
  const env: Record<string, string> = {
    HERMES_PROFILE: 'localstack',
    AWS_REGION: ddb.region,
    AWS_ACCESS_KEY_ID: ddb.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ddb.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    HERMES_CONNECTIONS_TABLE: uniqueName('connections'),
    HERMES_GRANTS_TABLE: uniqueName('grants'),
    HERMES_RUN_LEDGER_TABLE: uniqueName('run-ledger'),
    HERMES_HISTORY_TABLE: uniqueName('history'),
    HERMES_QUEUE_NAME: uniqueName('notifications'),
    // As in notificationCore(): presence.join/leave only where a test asks for them (HERMES_PRESENCE_EVENTS=true).
    HERMES_PRESENCE_EVENTS: 'false',
    // DynamoDB Local on a busy test machine is far slower than DynamoDB: generous timeouts, except
    // where a test measures the defaults (it removes these).
    HERMES_AWS_CONNECT_TIMEOUT_MS: '10000',
    HERMES_AWS_REQUEST_TIMEOUT_MS: '15000',
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

export interface ProvisionedLocalAws {
  readonly env: Record<string, string>;
  readonly config: AwsConfig;
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly steps: ProvisionStep[];
  destroy(): void;
}

/** Fresh tables and queues on the local services, made by `hermes provision`'s own code. */
export async function provisionedLocalAws(extra: Env = {}): Promise<ProvisionedLocalAws> {
  const env = await localAwsEnv(extra);
  const config = loadAwsConfig(env, 'localstack');
  const settings = (endpoint: string | undefined) => ({
    region: config.region,
    credentials: config.credentials,
    endpoint,
    timeouts: config.timeouts,
  });
  const dynamodb = createDynamoClient(settings(config.endpoints.dynamodb));
  const documents = createDynamoDocumentClient(settings(config.endpoints.dynamodb));
  const sqs = createSqsClient(settings(config.endpoints.sqs));
  const steps = await provision(config, env, { dynamodb, sqs });
  return {
    env,
    config,
    dynamodb,
    documents,
    sqs,
    steps,
    destroy: () => {
      documents.destroy();
      dynamodb.destroy();
      sqs.destroy();
    },
  };
}

/** How long a {@link withProvisionedLocalAws} fixture lives: the whole suite, or each test on its own resources. */
export type LocalAwsScope = 'suite' | 'test';

/**
 * Gives the enclosing mocha suite {@link provisionedLocalAws} resources (`extra` on top of the
 * local environment), provisioned before its tests (or before each, `scope` 'test') and their
 * clients destroyed after. Returns the accessor its tests (and contract set-ups) read them through.
 */
export function withProvisionedLocalAws(extra: Env = {}, scope: LocalAwsScope = 'suite'): () => ProvisionedLocalAws {
  let aws: ProvisionedLocalAws | undefined;
  const [setUp, tearDown] = scope === 'suite' ? [before, after] : [beforeEach, afterEach];
  setUp(async function () {
    aws = await provisionedLocalAws(extra);
  });
  tearDown(function () {
    aws?.destroy();
    aws = undefined;
  });
  return () => {
    if (!aws) throw new Error('withProvisionedLocalAws: the resources of this suite are read outside its tests');
    return aws;
  };
}

export type { AwsServiceEndpoint };
