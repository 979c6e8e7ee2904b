import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from './timeouts.js';

export { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from './timeouts.js';

/**
 * How to reach one AWS service. Every field is optional: what is left out comes from the SDK's
 * default chains (`AWS_REGION`, `AWS_ENDPOINT_URL[_<SERVICE>]`, credentials providers, `AWS_MAX_ATTEMPTS`).
 */
export interface AwsClientSettings {
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | undefined;
  /** SDK attempts per call, retries included (SDK default: 3). */
  readonly maxAttempts?: number | undefined;
  /** Default {@link DEFAULT_AWS_TIMEOUTS}. */
  readonly timeouts?: AwsTimeouts | undefined;
}

/** The `requestHandler` options of every client: both timeouts, and a timed-out request is an error (not only a warning). */
export function requestHandlerOptions(timeouts: AwsTimeouts = DEFAULT_AWS_TIMEOUTS): {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: true;
} {
  return { connectionTimeout: timeouts.connectionTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, throwOnRequestTimeout: true };
}

/** What every client takes from the settings (exported for clients built elsewhere, such as the Management API's). */
export function commonClientConfig(settings: AwsClientSettings): {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  requestHandler: ReturnType<typeof requestHandlerOptions>;
} {
  return {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
    ...(settings.maxAttempts ? { maxAttempts: settings.maxAttempts } : {}),
    requestHandler: requestHandlerOptions(settings.timeouts),
  };
}

/** A DynamoDB document client: plain JS values in and out, `undefined` attributes dropped. */
export function createDynamoDocumentClient(settings: AwsClientSettings = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(commonClientConfig(settings)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** A low-level DynamoDB client (table administration, provisioning). */
export function createDynamoClient(settings: AwsClientSettings = {}): DynamoDBClient {
  return new DynamoDBClient(commonClientConfig(settings));
}

/**
 * An SQS client that always calls the configured endpoint. By default the SDK sends each call to
 * the host of its `QueueUrl`; emulators such as fauxqs hand out `*.localhost` URLs that do not
 * resolve everywhere, and a queue URL must never redirect calls away from the configured endpoint.
 * Long polls pass their own, longer, request timeout (see `SqsQueueSource`).
 */
export function createSqsClient(settings: AwsClientSettings = {}): SQSClient {
  return new SQSClient({ ...commonClientConfig(settings), useQueueUrlAsEndpoint: false });
}

export function createSecretsManagerClient(settings: AwsClientSettings = {}): SecretsManagerClient {
  return new SecretsManagerClient(commonClientConfig(settings));
}
