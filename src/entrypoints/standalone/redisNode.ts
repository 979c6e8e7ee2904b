import type { ConnectionCallResult, NodeBusHandlers } from '../../adapters/redis/RedisNodeBus.js';
import type { RedisRemoteConnections } from '../../adapters/redis/RedisRemoteConnections.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { RedisAdapters } from '../di/adapters/redisAdapters.js';
import type { WebSocketGateway } from './websocket/WebSocketGateway.js';

/** This gateway as one node of several sharing a Redis. */
export interface RedisNode {
  readonly nodeId: string;
  /** `@connections` for the sockets of the other nodes (undefined when connections are not kept in Redis). */
  readonly otherNodes: RedisRemoteConnections | undefined;
  /** False while Redis is away: new connections are refused with 503 (open sockets are kept). */
  isAvailable(): boolean;
  /** The health check for `/ready`: Redis answers PING. */
  ping(): Promise<boolean>;
  /** Leaves the node list and closes every Redis connection (after the sockets were closed). */
  stop(): Promise<void>;
}

export interface RedisNodeOptions {
  readonly redis: RedisAdapters;
  readonly websocket: WebSocketGateway;
  /** What `$disconnect` does (the UnregisterConnection use case): run for each connection of a dead node. */
  readonly forget: (connectionId: string) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Joins the node machinery the composition's Redis adapters need: waits for Redis (a clear error
 * naming REDIS_URL when it cannot be reached), listens on this node's channel (deliveries and
 * `@connections` calls for its sockets), beats its heartbeat and removes dead nodes' connections,
 * and writes its connections again whenever Redis comes back.
 */
export async function startRedisNode(options: RedisNodeOptions): Promise<RedisNode> {
  const { redis, websocket, logger } = options;
  await redis.connection.connect();
  const connectionsInRedis = redis.uses('connections');
  if (connectionsInRedis || redis.uses('notifier')) await redis.bus.start(busHandlers(websocket));
  if (connectionsInRedis) {
    await redis.nodes.start(options.forget);
    let wasDown = false;
    redis.connection.onAvailabilityChange((available) => {
      if (!available) {
        wasDown = true;
        return;
      }
      if (!wasDown) return;
      wasDown = false;
      void (async () => {
        await redis.nodes.beat();
        const written = await redis.connections.resync();
        logger.info('redis is back: this node announced itself and its connections again', { node: redis.nodeId, connections: written });
      })().catch((error: unknown) => logger.warn('could not announce this node again', { error: errorMessage(error) }));
    });
  }
  logger.info('gateway node joined', { node: redis.nodeId, redis: redis.connection.safeUrl });
  return {
    nodeId: redis.nodeId,
    otherNodes: connectionsInRedis ? redis.remoteConnections : undefined,
    isAvailable: () => redis.connection.isAvailable,
    ping: () => redis.connection.ping(),
    stop: () => redis.close(),
  };
}

/** How this node answers the others: it writes to its own sockets and runs `@connections` calls on them. */
function busHandlers(websocket: WebSocketGateway): NodeBusHandlers {
  return {
    deliver(connectionIds, payload) {
      for (const id of connectionIds) void websocket.get(id)?.deliver(payload);
    },
    async call(operation, connectionId, payload): Promise<ConnectionCallResult> {
      const connection = websocket.get(connectionId);
      if (!connection?.isOpen) return { ok: false };
      if (operation === 'post') return { ok: connection.deliver(payload ?? '').status === 'delivered' };
      if (operation === 'delete') {
        connection.close(1000, 'Connection deleted');
        return { ok: true };
      }
      const { sourceIp, userAgent } = connection.identity;
      return {
        ok: true,
        info: { connectedAt: connection.connectedAt, lastActiveAt: connection.lastActiveAt, sourceIp, ...(userAgent ? { userAgent } : {}) },
      };
    },
  };
}
