import type { ContainerModuleLoadOptions, ResolutionContext } from 'inversify';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { SecretName, SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import {
  createDynamoDocumentClient,
  createSecretsManagerClient,
  createSqsClient,
  type AwsClientSettings,
} from '../../adapters/aws/clients.js';
import { DynamoConnectionGrantStore } from '../../adapters/aws/DynamoConnectionGrantStore.js';
import { DynamoConnectionRepository } from '../../adapters/aws/DynamoConnectionRepository.js';
import { SecretsManagerSecretProvider } from '../../adapters/aws/SecretsManagerSecretProvider.js';
import { SqsNotificationQueue } from '../../adapters/aws/SqsNotificationQueue.js';
import { loadAwsConfig, secretIdsOf, type AwsConfig, type AwsService } from '../config/awsConfig.js';
import type { CoreConfig } from '../config/coreConfig.js';
import type { Env } from '../config/Env.js';
import { ENTRYPOINT_TOKENS } from './tokens.js';

type Bind = ContainerModuleLoadOptions['bind'];

/** DI tokens of the AWS configuration and the SDK clients, one of each per container. */
export const AWS_TOKENS = {
  Config: Symbol.for('hermes.aws.Config'),
  DynamoDocumentClient: Symbol.for('hermes.aws.DynamoDocumentClient'),
  SqsClient: Symbol.for('hermes.aws.SqsClient'),
  SecretsManagerClient: Symbol.for('hermes.aws.SecretsManagerClient'),
  /** The concrete SQS queue (it also has `publishBatch`), when `HERMES_QUEUE=sqs`. */
  SqsNotificationQueue: Symbol.for('hermes.aws.SqsNotificationQueue'),
} as const;

/** Region, endpoint and credentials of one service, as the SDK client factories take them. */
export function awsClientSettings(config: AwsConfig, service: AwsService): AwsClientSettings {
  return { region: config.region, endpoint: config.endpoints[service], credentials: config.credentials, timeouts: config.timeouts };
}

function awsConfigOf(ctx: ResolutionContext): AwsConfig {
  return ctx.get<AwsConfig>(AWS_TOKENS.Config);
}

/**
 * Binds the AWS configuration and SDK clients. Every binding is lazy: nothing is parsed nor
 * created unless an AWS adapter is resolved, so the `memory` profile never needs AWS settings.
 */
export function bindAwsServices(bind: Bind): void {
  bind(AWS_TOKENS.Config).toDynamicValue((ctx) =>
    loadAwsConfig(ctx.get<Env>(ENTRYPOINT_TOKENS.Env), ctx.get<CoreConfig>(ENTRYPOINT_TOKENS.CoreConfig).profile),
  );
  bind(AWS_TOKENS.DynamoDocumentClient).toDynamicValue((ctx) =>
    createDynamoDocumentClient(awsClientSettings(awsConfigOf(ctx), 'dynamodb')),
  );
  bind(AWS_TOKENS.SqsClient).toDynamicValue((ctx) => createSqsClient(awsClientSettings(awsConfigOf(ctx), 'sqs')));
  bind(AWS_TOKENS.SecretsManagerClient).toDynamicValue((ctx) =>
    createSecretsManagerClient(awsClientSettings(awsConfigOf(ctx), 'secretsManager')),
  );
}

/**
 * The secret provider: Secrets Manager for every secret whose `*_SECRET_ARN` is set (and plain
 * value is not), `plain` for the others. Without any such variable, `plain` alone.
 */
export function secretProviderFor(ctx: ResolutionContext, plain: SecretProvider): SecretProvider {
  const env = ctx.get<Env>(ENTRYPOINT_TOKENS.Env);
  const core = ctx.get<CoreConfig>(ENTRYPOINT_TOKENS.CoreConfig);
  const secretIds: Partial<Record<SecretName, string>> = { ...secretIdsOf(env), ...core.secretArns };
  if (Object.keys(secretIds).length === 0) return plain;
  return new SecretsManagerSecretProvider(ctx.get<SecretsManagerClient>(AWS_TOKENS.SecretsManagerClient), secretIds, plain);
}

/** The `dynamodb`/`sqs` entries of the notification ADAPTERS table. */
export const AWS_NOTIFICATION_ADAPTERS = {
  connectionStore: (bind: Bind): void => {
    bind(NOTIFICATION_TOKENS.ConnectionRepository).toDynamicValue(
      (ctx) =>
        new DynamoConnectionRepository(
          ctx.get<DynamoDBDocumentClient>(AWS_TOKENS.DynamoDocumentClient),
          awsConfigOf(ctx).tables.connections,
          ctx.get<Clock>(SHARED_TOKENS.Clock),
        ),
    );
  },
  grantStore: (bind: Bind): void => {
    bind(NOTIFICATION_TOKENS.ConnectionGrantStore).toDynamicValue(
      (ctx) =>
        new DynamoConnectionGrantStore(
          ctx.get<DynamoDBDocumentClient>(AWS_TOKENS.DynamoDocumentClient),
          awsConfigOf(ctx).tables.grants,
        ),
    );
  },
  queue: (bind: Bind): void => {
    bind(AWS_TOKENS.SqsNotificationQueue).toDynamicValue((ctx) => {
      const { queue } = awsConfigOf(ctx);
      return new SqsNotificationQueue(
        ctx.get<SQSClient>(AWS_TOKENS.SqsClient),
        queue.url ? { queueUrl: queue.url } : { queueName: queue.name },
      );
    });
    bind(NOTIFICATION_TOKENS.NotificationQueue).toService(AWS_TOKENS.SqsNotificationQueue);
  },
};
