import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDynamoClient,
  createDynamoDocumentClient,
  createSecretsManagerClient,
  createSqsClient,
  type AwsClientSettings,
} from '../../../adapters/aws/clients.js';
import type { AwsConfig, AwsService } from '../../config/awsConfig.js';
import type { Wiring } from '../wiring.js';

/** Region, endpoint and credentials of one service, as the SDK client factories take them. */
export function awsClientSettings(config: AwsConfig, service: AwsService): AwsClientSettings {
  return { region: config.region, endpoint: config.endpoints[service], credentials: config.credentials, timeouts: config.timeouts };
}

// One function per client, so that a Lambda bundle holds only the SDK clients its function uses.

/** The composition's DynamoDB document client. */
export function dynamoDocumentClient(wiring: Wiring): DynamoDBDocumentClient {
  return wiring.once('aws.dynamodb.document', () =>
    wiring.traceClient(createDynamoDocumentClient(awsClientSettings(wiring.config.aws, 'dynamodb'))),
  );
}

/** A low-level DynamoDB client (provisioning). */
export function dynamoClient(wiring: Wiring): DynamoDBClient {
  return wiring.once('aws.dynamodb', () => createDynamoClient(awsClientSettings(wiring.config.aws, 'dynamodb')));
}

export function sqsClient(wiring: Wiring): SQSClient {
  return wiring.once('aws.sqs', () => wiring.traceClient(createSqsClient(awsClientSettings(wiring.config.aws, 'sqs'))));
}

export function secretsManagerClient(wiring: Wiring): SecretsManagerClient {
  return wiring.once('aws.secretsManager', () => createSecretsManagerClient(awsClientSettings(wiring.config.aws, 'secretsManager')));
}
