import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION, LOOPBACK_HOST } from '../../../support/services/index.js';

/**
 * A minimal AWS Secrets Manager on 127.0.0.1 that keeps secrets between calls: CreateSecret,
 * DescribeSecret and GetSecretValue (JSON 1.1, as the AWS CLI and SDK send them). The shared
 * fake of test/support answers GetSecretValue only; provisioning scripts also create and describe.
 */
export interface SecretsManagerStore {
  readonly endpoint: string;
  /** Stored secrets by name: value, ARN and how many times CreateSecret was called for the name. */
  secret(name: string): StoredSecret | undefined;
  names(): string[];
  stop(): Promise<void>;
}

export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly value: string;
  readonly description: string | undefined;
  readonly versionId: string;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startSecretsManagerStore(): Promise<SecretsManagerStore> {
  const secrets = new Map<string, StoredSecret>();
  const find = (id: unknown): StoredSecret | undefined => {
    if (typeof id !== 'string') throw new ServiceError('InvalidParameterException', 'SecretId is required');
    return secrets.get(id) ?? [...secrets.values()].find((secret) => secret.arn === id);
  };
  const operations: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
    CreateSecret: (input) => {
      const name = input['Name'];
      const value = input['SecretString'];
      if (typeof name !== 'string' || typeof value !== 'string') {
        throw new ServiceError('InvalidParameterException', 'Name and SecretString are required');
      }
      if (secrets.has(name)) throw new ServiceError('ResourceExistsException', `the secret ${name} already exists`);
      const secret: StoredSecret = {
        name,
        arn: `arn:aws:secretsmanager:${LOCAL_REGION}:000000000000:secret:${name}-${randomUUID().slice(0, 6)}`,
        value,
        description: typeof input['Description'] === 'string' ? input['Description'] : undefined,
        versionId: randomUUID(),
      };
      secrets.set(name, secret);
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId };
    },
    DescribeSecret: (input) => {
      const secret = find(input['SecretId']);
      if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return { ARN: secret.arn, Name: secret.name, ...(secret.description ? { Description: secret.description } : {}) };
    },
    GetSecretValue: (input) => {
      const secret = find(input['SecretId']);
      if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return { ARN: secret.arn, Name: secret.name, SecretString: secret.value, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'] };
    },
  };

  const server = createServer((request, response) => {
    void handle(request, response, operations);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    secret: (name) => secrets.get(name),
    names: () => [...secrets.keys()],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  operations: Record<string, (input: Record<string, unknown>) => Record<string, unknown>>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = operations[target.replace(/^secretsmanager\./, '')];
  try {
    if (!operation) throw new ServiceError('UnknownOperationException', `unsupported operation ${target}`);
    const body = Buffer.concat(chunks).toString('utf8');
    const input = JSON.parse(body === '' ? '{}' : body) as Record<string, unknown>;
    send(response, 200, operation(input));
  } catch (error) {
    const serviceError = error instanceof ServiceError ? error : new ServiceError('InternalServiceError', String(error));
    send(response, serviceError.type === 'InternalServiceError' ? 500 : 400, {
      __type: serviceError.type,
      message: serviceError.message,
    });
  }
}

function send(response: ServerResponse, status: number, payload: Record<string, unknown>): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  response.end(JSON.stringify(payload));
}
