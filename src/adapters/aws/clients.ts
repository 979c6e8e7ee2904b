import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * How to reach one AWS service. Every field is optional: what is left out comes from the SDK's
 * default chains (`AWS_REGION`, `AWS_ENDPOINT_URL[_<SERVICE>]`, credentials providers).
 */
export interface AwsClientSettings {
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | undefined;
  /** SDK attempts per call, retries included (SDK default: 3). */
  readonly maxAttempts?: number | undefined;
}

function common(settings: AwsClientSettings): {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
} {
  return {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
    ...(settings.maxAttempts ? { maxAttempts: settings.maxAttempts } : {}),
  };
}

/** A DynamoDB document client: plain JS values in and out, `undefined` attributes dropped. */
export function createDynamoDocumentClient(settings: AwsClientSettings = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(common(settings)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** A low-level DynamoDB client (table administration, provisioning). */
export function createDynamoClient(settings: AwsClientSettings = {}): DynamoDBClient {
  return new DynamoDBClient(common(settings));
}

/**
 * An SQS client that always calls the configured endpoint. By default the SDK sends each call to
 * the host of its `QueueUrl`; emulators such as fauxqs hand out `*.localhost` URLs that do not
 * resolve everywhere, and a queue URL must never redirect calls away from the configured endpoint.
 */
export function createSqsClient(settings: AwsClientSettings = {}): SQSClient {
  return new SQSClient({ ...common(settings), useQueueUrlAsEndpoint: false });
}

export function createSecretsManagerClient(settings: AwsClientSettings = {}): SecretsManagerClient {
  return new SecretsManagerClient(common(settings));
}
