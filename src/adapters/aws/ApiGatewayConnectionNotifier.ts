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
  /**
   * Shared by every send of this notifier (HERMES_NOTIFIER_RPS): posts per second, and the pause
   * every send takes after a 429. Default: unlimited, pausing on 429s only.
   */
  readonly bucket?: TokenBucket;
  /** Slow-downs one post may wait through after throttling outlasted the SDK's retries (default 4). */
  readonly maxThrottledRounds?: number;
}

/** The first pause after a 429 that outlasted the SDK's retries; doubled on each next one of the same post. */
const THROTTLE_PAUSE_MS = 200;

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

/** API Gateway's throttling: 429 (LimitExceededException, TooManyRequestsException, ThrottlingException). */
function isThrottled(error: unknown): boolean {
  const shape = shapeOf(error);
  const name = typeof shape.name === 'string' ? shape.name : '';
  return shape.$metadata?.httpStatusCode === 429 || /LimitExceeded|TooManyRequests|Throttl/.test(name);
}

/** SDK v3 errors carry the status in `$metadata.httpStatusCode` (`statusCode` is v2's and undefined here). */
function isGone(error: unknown): boolean {
  const shape = shapeOf(error);
  return error instanceof GoneException || shape.name === 'GoneException' || shape.$metadata?.httpStatusCode === 410;
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
 * {@link DEFAULT_POST_ATTEMPTS}), and when it outlasts those retries every send of the process
 * pauses (the shared {@link TokenBucket}) and the post is tried again, so a 429 slows the broadcast
 * down instead of failing deliveries; anything else is a failed delivery. Payloads API Gateway would
 * refuse (over 128 KB) are never sent.
 */
export class ApiGatewayConnectionNotifier implements ConnectionNotifier {
  private readonly clients = new Map<string, PostToConnectionClient>();
  private readonly clientFor: (endpoint: string) => PostToConnectionClient;
  private readonly maxPayloadBytes: number;
  private readonly bucket: TokenBucket;
  private readonly maxThrottledRounds: number;

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
    this.bucket = options.bucket ?? new TokenBucket({ ratePerSecond: Number.POSITIVE_INFINITY });
    this.maxThrottledRounds = options.maxThrottledRounds ?? 4;
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
    for (let round = 0; ; round += 1) {
      await this.bucket.take();
      try {
        await this.client(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId.value, Data: data }));
        return DELIVERED;
      } catch (error) {
        if (isGone(error)) return GONE;
        if (!isThrottled(error) || round >= this.maxThrottledRounds) return { status: 'failed', reason: describe(error) };
        this.bucket.slowDown(THROTTLE_PAUSE_MS * 2 ** round);
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
