import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ConnectionLocations } from '../../../adapters/redis/ConnectionLocations.js';
import { RedisConnection } from '../../../adapters/redis/RedisConnection.js';
import { RedisConnectionGrantStore } from '../../../adapters/redis/RedisConnectionGrantStore.js';
import { RedisConnectionNotifier } from '../../../adapters/redis/RedisConnectionNotifier.js';
import { RedisConnectionRepository } from '../../../adapters/redis/RedisConnectionRepository.js';
import { RedisDeadLetterQueue } from '../../../adapters/redis/RedisDeadLetterQueue.js';
import { RedisKeys } from '../../../adapters/redis/RedisKeys.js';
import { RedisNodeBus } from '../../../adapters/redis/RedisNodeBus.js';
import { RedisNodeRegistry } from '../../../adapters/redis/RedisNodeRegistry.js';
import { RedisNotificationQueue } from '../../../adapters/redis/RedisNotificationQueue.js';
import { RedisNotificationStream } from '../../../adapters/redis/RedisNotificationStream.js';
import { RedisRemoteConnections } from '../../../adapters/redis/RedisRemoteConnections.js';
import { RedisRoomHistory } from '../../../adapters/redis/RedisRoomHistory.js';
import { RedisRoomPresence } from '../../../adapters/redis/RedisRoomPresence.js';
import { RedisRunLedger } from '../../../adapters/redis/RedisRunLedger.js';
import type { HistoryRetention } from '../../../application/notifications/ports/RoomHistory.js';
import type { LocalConnectionRegistry } from '../../../adapters/memory/LocalConnectionRegistry.js';
import type { Wiring } from '../wiring.js';
import { allowRedisAdapters } from './redisSlot.js';

/** A node id unique to this process unless HERMES_NODE_ID names one. */
function generatedNodeId(): string {
  return `${hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * The Redis family of one composition: one connection to `REDIS_URL`, keys under
 * `hermes:<stage>:`, this node's id, and each Redis adapter made once on first use.
 */
export class RedisAdapters {
  readonly connection: RedisConnection;
  readonly keys: RedisKeys;
  readonly nodeId: string;
  readonly locations = new ConnectionLocations();
  private readonly made = new Map<string, unknown>();

  constructor(private readonly wiring: Wiring) {
    const { redis, gateway } = wiring.config;
    this.connection = new RedisConnection(redis.url, wiring.logger);
    this.keys = new RedisKeys(gateway?.stage ?? redis.stage);
    this.nodeId = redis.nodeId ?? generatedNodeId();
  }

  get connections(): RedisConnectionRepository {
    return this.once(
      'connections',
      () => new RedisConnectionRepository(this.connection, this.keys, this.wiring.clock, this.nodeId, this.locations),
    );
  }

  get grants(): RedisConnectionGrantStore {
    return this.once('grants', () => new RedisConnectionGrantStore(this.connection, this.keys));
  }

  get runLedger(): RedisRunLedger {
    return this.once('runLedger', () => new RedisRunLedger(this.connection, this.keys, this.wiring.clock));
  }

  /** Room histories (seq/epoch per room, shared by every node); `retention` from HERMES_HISTORY_SIZE / HERMES_HISTORY_TTL_SECONDS. */
  history(retention?: HistoryRetention): RedisRoomHistory {
    return this.once('history', () => new RedisRoomHistory(this.connection, this.keys, this.wiring.clock, retention));
  }

  get presence(): RedisRoomPresence {
    return this.once('presence', () => new RedisRoomPresence(this.connection, this.keys, this.wiring.clock));
  }

  /** The notification stream; its dead-letter threshold is HERMES_MAX_RECEIVE_COUNT, as for SQS. */
  get stream(): RedisNotificationStream {
    return this.once(
      'stream',
      () =>
        new RedisNotificationStream(this.connection, this.keys, this.nodeId, {
          visibilityTimeoutMs: 30_000,
          maxReceiveCount: this.wiring.config.aws.queue.maxReceiveCount,
        }),
    );
  }

  /** The stream's dead letters, for the operator's console. */
  get deadLetters(): RedisDeadLetterQueue {
    return this.once('deadLetters', () => new RedisDeadLetterQueue(this.connection, this.keys));
  }

  get queue(): RedisNotificationQueue {
    return this.once('queue', () => new RedisNotificationQueue(this.stream));
  }

  get bus(): RedisNodeBus {
    return this.once('bus', () => new RedisNodeBus(this.connection, this.keys, this.nodeId, this.wiring.logger));
  }

  get nodes(): RedisNodeRegistry {
    return this.once(
      'nodes',
      () =>
        new RedisNodeRegistry(
          this.connection,
          this.keys,
          this.nodeId,
          { nodeTtlSeconds: this.wiring.config.redis.nodeTtlSeconds },
          this.wiring.logger,
        ),
    );
  }

  get remoteConnections(): RedisRemoteConnections {
    return this.once('remote', () => new RedisRemoteConnections(this.connection, this.keys, this.bus));
  }

  notifier(registry: LocalConnectionRegistry): RedisConnectionNotifier {
    return this.once('notifier', () => new RedisConnectionNotifier(registry, this.connection, this.keys, this.bus, this.locations));
  }

  /** True when this adapter was made (the gateway starts the node machinery only for what it uses). */
  uses(name: 'connections' | 'notifier' | 'stream'): boolean {
    return this.made.has(name);
  }

  async close(): Promise<void> {
    if (this.made.has('nodes')) await this.nodes.stop();
    if (this.made.has('bus')) this.bus.close();
    if (this.made.has('stream')) this.stream.close();
    await this.connection.close();
  }

  private once<T>(name: string, make: () => T): T {
    if (!this.made.has(name)) this.made.set(name, make());
    return this.made.get(name) as T;
  }
}

/** Lets this composition pick Redis adapters (the standalone container does; the Lambda roots do not). */
export function enableRedisAdapters(wiring: Wiring): void {
  allowRedisAdapters(wiring, (w) => new RedisAdapters(w));
}
