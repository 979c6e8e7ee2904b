import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localAwsEndpoint, LOCAL_REGION, type AwsServiceEndpoint } from './awsEndpoint.js';
import { LOOPBACK_HOST } from './freePort.js';

/**
 * A per-test fake of AWS Secrets Manager that answers GetSecretValue (JSON 1.1
 * protocol, as the real @aws-sdk/client-secrets-manager sends it) on 127.0.0.1.
 */
export interface FakeSecretsManager extends AwsServiceEndpoint {
  /** GetSecretValue calls for this secret name (or, for unknown ids, this exact SecretId). */
  calls(nameOrId: string): number;
  /** Adds or replaces a secret; a replaced value gets a new VersionId. */
  setSecret(name: string, value: string): void;
  /** The ARN the fake reports for a secret name. */
  arnOf(name: string): string;
  stop(): Promise<void>;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly value: string;
  readonly versionId: string;
  readonly createdEpochSeconds: number;
}

const ACCOUNT_ID = '000000000000';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager.';

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startFakeSecretsManager(initial: Record<string, string> = {}): Promise<FakeSecretsManager> {
  const secrets = new Map<string, StoredSecret>();
  const callCounts = new Map<string, number>();

  const arnOf = (name: string): string => `arn:aws:secretsmanager:${LOCAL_REGION}:${ACCOUNT_ID}:secret:${name}-${arnSuffix(name)}`;
  const setSecret = (name: string, value: string): void => {
    secrets.set(name, {
      name,
      arn: arnOf(name),
      value,
      versionId: randomUUID(),
      createdEpochSeconds: Math.floor(Date.now() / 1000),
    });
  };
  for (const [name, value] of Object.entries(initial)) setSecret(name, value);

  // Real Secrets Manager accepts a name, a full ARN, or an ARN without the random suffix.
  const findSecret = (secretId: string): StoredSecret | undefined => {
    const byName = secrets.get(secretId);
    if (byName) return byName;
    return [...secrets.values()].find((secret) => secret.arn === secretId || secretId === partialArn(secret));
  };
  const countCall = (key: string): void => {
    callCounts.set(key, (callCounts.get(key) ?? 0) + 1);
  };

  const getSecretValue = (input: Record<string, unknown>): Record<string, unknown> => {
    const secretId = input['SecretId'];
    if (typeof secretId !== 'string' || secretId === '') {
      throw new ServiceError('InvalidParameterException', 'SecretId is required.');
    }
    const secret = findSecret(secretId);
    countCall(secret?.name ?? secretId);
    if (!secret) {
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      SecretString: secret.value,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdEpochSeconds,
    };
  };

  const server = createServer((request, response) => {
    void handle(request, response, getSecretValue);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    ...localAwsEndpoint(`http://${LOOPBACK_HOST}:${port}`),
    calls: (nameOrId) => callCounts.get(nameOrId) ?? 0,
    setSecret,
    arnOf,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type Operation = (input: Record<string, unknown>) => Record<string, unknown>;

async function handle(request: IncomingMessage, response: ServerResponse, getSecretValue: Operation): Promise<void> {
  try {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || target !== `${TARGET_PREFIX}GetSecretValue`) {
      throw new ServiceError('UnknownOperationException', `the fake only supports GetSecretValue, got ${String(target)}`);
    }
    send(response, 200, getSecretValue(parseInput(body)));
  } catch (error) {
    const serviceError = error instanceof ServiceError ? error : new ServiceError('InternalServiceError', String(error), 500);
    send(response, serviceError.status, { __type: serviceError.type, message: serviceError.message }, serviceError.type);
  }
}

function parseInput(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new ServiceError('SerializationException', 'request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function send(response: ServerResponse, status: number, payload: Record<string, unknown>, errorType?: string): void {
  const headers: Record<string, string> = {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  response.writeHead(status, headers);
  response.end(JSON.stringify(payload));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function partialArn(secret: StoredSecret): string {
  return secret.arn.slice(0, secret.arn.lastIndexOf('-'));
}

// Real ARNs end in "-" plus 6 random characters; derive them from the name so they are stable.
function arnSuffix(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(6, 'a').slice(-6);
}
