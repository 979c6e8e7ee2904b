import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiGatewayManagementApiClient,
  GoneException,
  LimitExceededException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionNotifier, DeliveryOutcome } from '../../application/notifications/ports/ConnectionNotifier.js';
import type { ConnectionId } from '../../domain/connection/ConnectionId.js';
import { MAX_NOTIFICATION_BYTES } from '../../domain/notification/Notification.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import type { AwsClientSettings } from './clients.js';

/** The one call the notifier makes; the real client or a test double. */
export interface PostToConnectionClient {
  send(command: PostToConnectionCommand): Promise<unknown>;
}

export interface ApiGatewayNotifierOptions {
  /** The `@connections` endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`), resolved per send. */
  readonly endpoint: { resolve(): string | undefined };
  /** Builds the client of one endpoint; called once per endpoint. */
  readonly clientFor?: (endpoint: string) => PostToConnectionClient;
  /** Region, credentials of the default client factory. */
  readonly clientSettings?: Omit<AwsClientSettings, 'endpoint' | 'maxAttempts'>;
  /** Retries of a throttled post (LimitExceededException / 429). */
  readonly throttleRetry?: BackoffPolicy;
  readonly maxPayloadBytes?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const DEFAULT_THROTTLE_RETRY: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1_000 };

const DELIVERED: DeliveryOutcome = { status: 'delivered' };
const GONE: DeliveryOutcome = { status: 'gone' };

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** SDK v3 errors carry the status in `$metadata.httpStatusCode` (`statusCode` is v2's and undefined here). */
function isGone(error: unknown): boolean {
  const shape = shapeOf(error);
  return error instanceof GoneException || shape.name === 'GoneException' || shape.$metadata?.httpStatusCode === 410;
}

function isThrottled(error: unknown): boolean {
  const shape = shapeOf(error);
  return (
    error instanceof LimitExceededException ||
    shape.name === 'LimitExceededException' ||
    shape.name === 'TooManyRequestsException' ||
    shape.$metadata?.httpStatusCode === 429
  );
}

function describe(error: unknown): string {
  const shape = shapeOf(error);
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${shape.$metadata.httpStatusCode})` : '';
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  return `${name}${status}: ${message}`;
}

/**
 * Posts to a connection through API Gateway's Management API (`PostToConnection`). 410/GoneException
 * means the connection is gone; throttling is retried with capped exponential backoff and full jitter;
 * anything else is a failed delivery. Payloads API Gateway would refuse (over 128 KB) are never sent.
 */
export class ApiGatewayConnectionNotifier implements ConnectionNotifier {
  private readonly clients = new Map<string, PostToConnectionClient>();
  private readonly clientFor: (endpoint: string) => PostToConnectionClient;
  private readonly retry: BackoffPolicy;
  private readonly maxPayloadBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: ApiGatewayNotifierOptions) {
    const settings = options.clientSettings ?? {};
    this.clientFor =
      options.clientFor ??
      ((endpoint) =>
        new ApiGatewayManagementApiClient({
          endpoint,
          // Throttling is retried here, with the policy above; other errors are not worth a retry.
          maxAttempts: 1,
          ...(settings.region ? { region: settings.region } : {}),
          ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
        }));
    this.retry = options.throttleRetry ?? DEFAULT_THROTTLE_RETRY;
    this.maxPayloadBytes = options.maxPayloadBytes ?? MAX_NOTIFICATION_BYTES;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.random = options.random ?? Math.random;
  }

  async send(connectionId: ConnectionId, payload: string): Promise<DeliveryOutcome> {
    const data = Buffer.from(payload, 'utf8');
    if (data.byteLength > this.maxPayloadBytes) {
      return { status: 'failed', reason: `payload is ${data.byteLength} bytes; API Gateway accepts at most ${this.maxPayloadBytes}` };
    }
    const endpoint = this.options.endpoint.resolve();
    if (!endpoint) {
      return { status: 'failed', reason: 'no @connections endpoint: set HERMES_CONNECTIONS_ENDPOINT' };
    }
    const client = this.client(endpoint);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId.value, Data: data }));
        return DELIVERED;
      } catch (error) {
        if (isGone(error)) return GONE;
        if (isThrottled(error) && attempt < this.retry.maxAttempts) {
          await this.sleep(backoffDelayMs(attempt - 1, this.retry, this.random));
          continue;
        }
        return { status: 'failed', reason: describe(error) };
      }
    }
  }

  private client(endpoint: string): PostToConnectionClient {
    let client = this.clients.get(endpoint);
    if (!client) {
      client = this.clientFor(endpoint);
      this.clients.set(endpoint, client);
    }
    return client;
  }
}
