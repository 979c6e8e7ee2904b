import * as z from 'zod/mini';
import { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from '../../adapters/aws/timeouts.js';
import type { SecretName } from '../../application/shared/ports/SecretProvider.js';
import type { Env } from './Env.js';
import { intVar, parseEnv } from './parseEnv.js';
import type { Profile } from './coreConfig.js';
import { secretArnVariable } from './secretArnVariable.js';

/** Where the `localstack` profile finds every AWS service unless `AWS_ENDPOINT_URL*` says otherwise. */
export const LOCALSTACK_ENDPOINT = 'http://localhost:4566';
export const LOCALSTACK_REGION = 'us-east-1';
/** LocalStack and the emulators accept any credentials; these keep the SDK from searching for real ones. */
export const LOCALSTACK_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** The services hermes calls, with the suffix of their `AWS_ENDPOINT_URL_<SERVICE>` variable (the SDK's service id, upper-cased, spaces to `_`). */
export const AWS_SERVICES = {
  dynamodb: 'DYNAMODB',
  sqs: 'SQS',
  secretsManager: 'SECRETS_MANAGER',
  apiGatewayManagement: 'APIGATEWAYMANAGEMENTAPI',
} as const;
export type AwsService = keyof typeof AWS_SERVICES;

const SECRET_NAMES: readonly SecretName[] = ['JWT_SECRET', 'TOKEN_PASSCODE', 'PORT_CLIENT_ID', 'PORT_CLIENT_SECRET', 'KAFKA_PASSWORD'];
const CREDENTIAL_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

const url = z.url({ error: 'must be a URL such as http://localhost:4566' });
const tableName = (fallback: string) => z._default(z.string().check(z.minLength(3), z.maxLength(255)), fallback);

const schema = z.object({
  AWS_REGION: z.optional(z.string()),
  AWS_DEFAULT_REGION: z.optional(z.string()),
  AWS_ENDPOINT_URL: z.optional(url),
  AWS_ENDPOINT_URL_DYNAMODB: z.optional(url),
  AWS_ENDPOINT_URL_SQS: z.optional(url),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: z.optional(url),
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: z.optional(url),
  AWS_ACCESS_KEY_ID: z.optional(z.string()),
  AWS_SECRET_ACCESS_KEY: z.optional(z.string()),
  AWS_SESSION_TOKEN: z.optional(z.string()),
  HERMES_CONNECTIONS_TABLE: tableName('hermes-connections'),
  HERMES_GRANTS_TABLE: tableName('hermes-grants'),
  HERMES_RUN_LEDGER_TABLE: tableName('hermes-run-ledger'),
  HERMES_HISTORY_TABLE: tableName('hermes-history'),
  HERMES_NOTIFIER_RPS: z.optional(intVar(1, 1_000_000)),
  HERMES_QUEUE_URL: z.optional(url),
  HERMES_QUEUE_NAME: z._default(
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,75}$/, { error: 'must be 1-75 letters, digits, - or _' })),
    'hermes-notifications',
  ),
  HERMES_MAX_RECEIVE_COUNT: z._default(intVar(1, 1000), 5),
  HERMES_CONNECTIONS_ENDPOINT: z.optional(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://abc.execute-api.eu-west-1.amazonaws.com/production' }),
  ),
  HERMES_AWS_CONNECT_TIMEOUT_MS: z._default(intVar(100, 60_000), DEFAULT_AWS_TIMEOUTS.connectionTimeoutMs),
  HERMES_AWS_REQUEST_TIMEOUT_MS: z._default(intVar(100, 60_000), DEFAULT_AWS_TIMEOUTS.requestTimeoutMs),
});

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsConfig {
  readonly profile: Profile;
  /** Undefined on `aws` when no variable names one: the SDK's own chain (config file, IMDS) decides. */
  readonly region: string | undefined;
  /** Explicit only on `localstack`; `aws` uses the SDK's default credentials chain. Never logged. */
  readonly credentials: AwsCredentials | undefined;
  /** Per service: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else (localstack) {@link LOCALSTACK_ENDPOINT}. */
  readonly endpoints: Readonly<Record<AwsService, string | undefined>>;
  readonly tables: { readonly connections: string; readonly grants: string; readonly runLedger: string; readonly history: string };
  readonly queue: {
    /** When unset, resolved from `name` with GetQueueUrl. */
    readonly url: string | undefined;
    readonly name: string;
    readonly deadLetterName: string;
    readonly maxReceiveCount: number;
  };
  /** Secrets Manager ids (ARN or name) of the secrets whose `*_SECRET_ARN` variable is set and whose plain variable is not. */
  readonly secretIds: Readonly<Partial<Record<SecretName, string>>>;
  /** `HERMES_CONNECTIONS_ENDPOINT` without trailing slash; undefined: taken from the WebSocket events (or the local gateway). */
  readonly connectionsEndpoint: string | undefined;
  /** Connection and per-attempt request timeouts of every SDK client (HERMES_AWS_CONNECT_TIMEOUT_MS, HERMES_AWS_REQUEST_TIMEOUT_MS). */
  readonly timeouts: AwsTimeouts;
  /** `@connections` posts per second of one process, shared by its broadcasts (HERMES_NOTIFIER_RPS); undefined: unlimited. */
  readonly notifierRps: number | undefined;
}

/**
 * The AWS side of the configuration: region, credentials, endpoints, table and queue names.
 * Parsed only when an AWS adapter is actually used, so the `memory` profile never needs it.
 */
export function loadAwsConfig(env: Env, profile: Profile): AwsConfig {
  const vars = parseEnv(schema, env, CREDENTIAL_KEYS);
  const localstack = profile === 'localstack';
  const endpoint = (service: AwsService): string | undefined =>
    vars[`AWS_ENDPOINT_URL_${AWS_SERVICES[service]}`] ?? vars.AWS_ENDPOINT_URL ?? (localstack ? LOCALSTACK_ENDPOINT : undefined);
  const queueName = vars.HERMES_QUEUE_URL ? queueNameOf(vars.HERMES_QUEUE_URL) : vars.HERMES_QUEUE_NAME;
  return {
    profile,
    region: vars.AWS_REGION ?? vars.AWS_DEFAULT_REGION ?? (localstack ? LOCALSTACK_REGION : undefined),
    credentials: localstack ? (credentialsOf(vars) ?? { ...LOCALSTACK_CREDENTIALS }) : undefined,
    endpoints: {
      dynamodb: endpoint('dynamodb'),
      sqs: endpoint('sqs'),
      secretsManager: endpoint('secretsManager'),
      // Management API calls go to the WebSocket API's own endpoint (HERMES_CONNECTIONS_ENDPOINT or the event's).
      apiGatewayManagement: vars.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI,
    },
    tables: {
      connections: vars.HERMES_CONNECTIONS_TABLE,
      grants: vars.HERMES_GRANTS_TABLE,
      runLedger: vars.HERMES_RUN_LEDGER_TABLE,
      history: vars.HERMES_HISTORY_TABLE,
    },
    queue: {
      url: vars.HERMES_QUEUE_URL,
      name: queueName,
      deadLetterName: `${queueName}-dlq`,
      maxReceiveCount: vars.HERMES_MAX_RECEIVE_COUNT,
    },
    secretIds: secretIdsOf(env),
    connectionsEndpoint: vars.HERMES_CONNECTIONS_ENDPOINT?.replace(/\/+$/, ''),
    timeouts: { connectionTimeoutMs: vars.HERMES_AWS_CONNECT_TIMEOUT_MS, requestTimeoutMs: vars.HERMES_AWS_REQUEST_TIMEOUT_MS },
    notifierRps: vars.HERMES_NOTIFIER_RPS,
  };
}

/**
 * The Secrets Manager id of every secret configured by `*_SECRET_ARN` and not given in plain.
 * Reads only those variables, so it never fails on an unrelated AWS setting.
 */
export function secretIdsOf(env: Env): Partial<Record<SecretName, string>> {
  const ids: Partial<Record<SecretName, string>> = {};
  for (const name of SECRET_NAMES) {
    const plain = env[name]?.trim();
    const id = env[secretArnVariable(name)]?.trim();
    if (id && !plain) ids[name] = id;
  }
  return ids;
}

function credentialsOf(vars: z.infer<typeof schema>): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = vars;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** `https://sqs.eu-west-1.amazonaws.com/123456789012/hermes-notifications` → `hermes-notifications`. */
function queueNameOf(queueUrl: string): string {
  const last = new URL(queueUrl).pathname.split('/').filter(Boolean).pop();
  return last ?? 'hermes-notifications';
}
