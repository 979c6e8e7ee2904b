import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import { redactUrl } from '../../domain/shared/redactUrl.js';
import { RedisUnavailableError } from './RedisUnavailableError.js';

/** A command that has not answered after this long fails (a frozen Redis must not hang a request). */
const COMMAND_TIMEOUT_MS = 5_000;
const RECONNECT_MAX_DELAY_MS = 2_000;

/**
 * ioredis settings of every hermes connection: fail fast while Redis is away (no offline queue, one
 * attempt per command: the caller answers 503 and the publisher retries), reconnect forever.
 */
function clientOptions(name: string): RedisOptions {
  return {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 3_000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
  };
}

/**
 * One Redis server as hermes uses it: a command connection, extra connections for blocking reads and
 * pub/sub, the availability state (logged once per change, not per failed command), and a health check.
 */
export class RedisConnection {
  /** The command connection (auto-pipelined: concurrent commands share round trips). */
  readonly client: Redis;
  private readonly extras = new Set<Redis>();
  private available: boolean | undefined;
  private readonly listeners = new Set<(available: boolean) => void>();

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    this.client = this.open('hermes', { enableAutoPipelining: true });
  }

  /** `REDIS_URL` without its password, for messages and logs. */
  get safeUrl(): string {
    return redactUrl(this.url);
  }

  /** True while the command connection is ready. */
  get isAvailable(): boolean {
    return this.client.status === 'ready';
  }

  /** Connects, waiting at most `timeoutMs`; a RedisUnavailableError naming REDIS_URL otherwise (the connection keeps trying). */
  async connect(timeoutMs = 10_000): Promise<void> {
    if (this.client.status === 'wait') void this.client.connect().catch(() => undefined);
    if (this.isAvailable) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new RedisUnavailableError(`connect to ${this.safeUrl} (set REDIS_URL)`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  /** The health check (`/ready`): true when Redis answers PING within `timeoutMs`. Never rejects. */
  async ping(timeoutMs = 1_000): Promise<boolean> {
    if (!this.isAvailable) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.client.ping(),
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      ]);
      return answer === 'PONG';
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called on every change of availability (after the change has been logged). */
  onAvailabilityChange(listener: (available: boolean) => void): void {
    this.listeners.add(listener);
  }

  /** Another connection to the same server (blocking reads, subscriptions), closed with this one. */
  duplicate(name: string, options: Partial<RedisOptions> = {}): Redis {
    const extra = this.open(name, options);
    void extra.connect().catch(() => undefined);
    return extra;
  }

  /**
   * Runs one Redis operation; a failure while Redis is away becomes a {@link RedisUnavailableError}
   * (a 503 for HTTP callers, a retry for the queue). Other errors (a bug, a wrong type) pass unchanged.
   */
  async call<T>(operation: string, run: (client: Redis) => Promise<T>): Promise<T> {
    // The first command of a process opens the connection (a CLI call, a test); the gateway connects up front.
    if (this.client.status === 'wait') await this.connect();
    try {
      return await run(this.client);
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      if (!this.isAvailable || isConnectionError(error)) throw new RedisUnavailableError(operation, error);
      throw error;
    }
  }

  async close(): Promise<void> {
    for (const extra of this.extras) extra.disconnect();
    this.extras.clear();
    this.listeners.clear();
    this.client.disconnect();
  }

  private open(name: string, options: Partial<RedisOptions>): Redis {
    const client = new Redis(this.url, { ...clientOptions(name), ...options });
    // Without a listener ioredis prints every connection error; the state change is logged once instead.
    client.on('error', (error: Error) => {
      if (client === this.client) this.setAvailable(false, error);
    });
    if (name === 'hermes') {
      client.on('ready', () => this.setAvailable(true));
      client.on('close', () => this.setAvailable(false));
    } else {
      this.extras.add(client);
    }
    return client;
  }

  private setAvailable(available: boolean, error?: Error): void {
    if (this.available === available) return;
    const wasKnown = this.available !== undefined;
    this.available = available;
    if (available) this.logger.info('redis available', { url: this.safeUrl });
    else if (wasKnown || error) {
      this.logger.warn('redis unavailable: new connections and publishes are refused until it is back', {
        url: this.safeUrl,
        ...(error ? { error: redactUrl(errorMessage(error)) } : {}),
      });
    }
    for (const listener of this.listeners) listener(available);
  }
}

function isConnectionError(error: unknown): boolean {
  const message = errorMessage(error);
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Command timed out|MaxRetriesPerRequest/i.test(
    message,
  );
}
