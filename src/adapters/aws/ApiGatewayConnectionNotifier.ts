import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionNotifier, DeliveryOutcome } from '../../application/notifications/ports/ConnectionNotifier.js';
import type { ConnectionId } from '../../domain/connection/ConnectionId.js';
import { MAX_NOTIFICATION_BYTES } from '../../domain/notification/Notification.js';
import { type AwsClientSettings, commonClientConfig } from './clients.js';
import { TokenBucket } from './TokenBucket.js';

/** The one call the notifier makes; the real client or a test double. */
export interface PostToConnectionClient {
  send(command: PostToConnectionCommand): Promise<unknown>;
}

export interface ApiGatewayNotifierOptions {
  /** The `@connections` endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`), resolved per send. */
  readonly endpoint: { resolve(): string | undefined };
  /** Builds the client of one endpoint; called once per endpoint. */
  readonly clientFor?: (endpoint: string) => PostToConnectionClient;
  /** Region, credentials, timeouts and attempts of the default client factory. */
  readonly clientSettings?: Omit<AwsClientSettings, 'endpoint'>;
  readonly maxPayloadBytes?: number;
  /** Backoff of posts still throttled once the SDK gave up (see {@link DEFAULT_THROTTLE_RETRY}). */
  readonly throttleRetry?: Partial<ThrottleRetry>;
  /**
   * Shared by every send of this notifier (HERMES_NOTIFIER_RPS): posts per second, and a pause every
   * send takes while one is throttled. Default: unlimited, pausing on 429s only.
   */
  readonly bucket?: TokenBucket;
}

/**
 * A post still throttled after the SDK's attempts (its retry quota drains in a large broadcast) is
 * tried again after a full-jitter exponential backoff, until `budgetMs` has passed since the first
 * attempt: a room broadcast beyond the account's rate slows down instead of losing messages.
 */
export interface ThrottleRetry {
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_THROTTLE_RETRY: ThrottleRetry = { budgetMs: 20_000, baseDelayMs: 100, maxDelayMs: 2_000 };

/**
 * Attempts of one post. The SDK's standard retry strategy retries what Smithy classifies as
 * throttling (LimitExceededException, TooManyRequestsException, any 429) or transient (5xx,
 * timeouts), with its own jittered backoff; a 410 is not retried.
 */
export const DEFAULT_POST_ATTEMPTS = 5;

const DELIVERED: DeliveryOutcome = { status: 'delivered' };
const GONE: DeliveryOutcome = { status: 'gone' };

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** SDK v3 errors carry the status in `$metadata.httpStatusCode` (`statusCode` is v2's and undefined here). */
function isGone(error: unknown): boolean {
  const shape = shapeOf(error);
  return error instanceof GoneException || shape.name === 'GoneException' || shape.$metadata?.httpStatusCode === 410;
}

/** What API Gateway answers beyond a rate: 429 LimitExceededException (TooManyRequestsException elsewhere). */
function isThrottled(error: unknown): boolean {
  const shape = shapeOf(error);
  return (
    shape.$metadata?.httpStatusCode === 429 ||
    shape.name === 'LimitExceededException' ||
    shape.name === 'TooManyRequestsException' ||
    shape.name === 'ThrottlingException'
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
 * means the connection is gone; throttling is retried by the SDK's standard retry strategy (see
 * {@link DEFAULT_POST_ATTEMPTS}), then with this notifier's own backoff ({@link ThrottleRetry});
 * anything else is a failed delivery. Payloads API Gateway would
 * refuse (over 128 KB) are never sent.
 */
export class ApiGatewayConnectionNotifier implements ConnectionNotifier {
  private readonly clients = new Map<string, PostToConnectionClient>();
  private readonly clientFor: (endpoint: string) => PostToConnectionClient;
  private readonly maxPayloadBytes: number;
  private readonly throttleRetry: ThrottleRetry;
  private readonly bucket: TokenBucket;

  constructor(private readonly options: ApiGatewayNotifierOptions) {
    const settings = options.clientSettings ?? {};
    this.clientFor =
      options.clientFor ??
      ((endpoint) =>
        new ApiGatewayManagementApiClient({
          ...commonClientConfig({ maxAttempts: DEFAULT_POST_ATTEMPTS, ...settings }),
          endpoint,
          retryMode: 'standard',
        }));
    this.maxPayloadBytes = options.maxPayloadBytes ?? MAX_NOTIFICATION_BYTES;
    this.throttleRetry = { ...DEFAULT_THROTTLE_RETRY, ...options.throttleRetry };
    this.bucket = options.bucket ?? new TokenBucket({ ratePerSecond: Number.POSITIVE_INFINITY });
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
    const started = Date.now();
    for (let round = 0; ; round += 1) {
      await this.bucket.take();
      try {
        await this.client(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId.value, Data: data }));
        return DELIVERED;
      } catch (error) {
        if (isGone(error)) return GONE;
        const { budgetMs, baseDelayMs, maxDelayMs } = this.throttleRetry;
        const delay = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** round);
        if (!isThrottled(error) || Date.now() + delay - started > budgetMs) return { status: 'failed', reason: describe(error) };
        // The whole process slows down, not only this post: the account's budget is shared.
        this.bucket.slowDown(delay);
        await sleep(delay);
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
