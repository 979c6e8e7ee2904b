import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionNotifier, DeliveryOutcome } from '../../application/notifications/ports/ConnectionNotifier.js';
import type { ConnectionId } from '../../domain/connection/ConnectionId.js';
import { MAX_NOTIFICATION_BYTES } from '../../domain/notification/Notification.js';
import { type AwsClientSettings, commonClientConfig } from './clients.js';

/** The one call the notifier makes; the real client or a test double. */
export interface PostToConnectionClient {
  send(command: PostToConnectionCommand): Promise<unknown>;
}

export interface ApiGatewayNotifierOptions {
  /** The `@connections` endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`), resolved per send. */
  readonly endpoint: { resolve(): string | undefined };
  /** Builds the client of one endpoint; called once per endpoint. */
  readonly clientFor?: (endpoint: string) => PostToConnectionClient;
  /** Wraps each client built here (X-Ray tracing on Lambda). */
  readonly traceClient?: <T>(client: T) => T;
  /** Region, credentials, timeouts and attempts of the default client factory. */
  readonly clientSettings?: Omit<AwsClientSettings, 'endpoint'>;
  readonly maxPayloadBytes?: number;
}

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
 * {@link DEFAULT_POST_ATTEMPTS}); anything else is a failed delivery. Payloads API Gateway would
 * refuse (over 128 KB) are never sent.
 */
export class ApiGatewayConnectionNotifier implements ConnectionNotifier {
  private readonly clients = new Map<string, PostToConnectionClient>();
  private readonly clientFor: (endpoint: string) => PostToConnectionClient;
  private readonly maxPayloadBytes: number;

  constructor(private readonly options: ApiGatewayNotifierOptions) {
    const settings = options.clientSettings ?? {};
    this.clientFor =
      options.clientFor ??
      ((endpoint) => {
        const client = new ApiGatewayManagementApiClient({
          ...commonClientConfig({ maxAttempts: DEFAULT_POST_ATTEMPTS, ...settings }),
          endpoint,
          retryMode: 'standard',
        });
        return options.traceClient ? options.traceClient(client) : client;
      });
    this.maxPayloadBytes = options.maxPayloadBytes ?? MAX_NOTIFICATION_BYTES;
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
    try {
      await this.client(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId.value, Data: data }));
      return DELIVERED;
    } catch (error) {
      return isGone(error) ? GONE : { status: 'failed', reason: describe(error) };
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
