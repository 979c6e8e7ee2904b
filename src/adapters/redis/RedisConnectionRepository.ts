import type { Redis } from 'ioredis';
import type {
  ConnectionPage,
  ConnectionPageRequest,
  ConnectionRepository,
} from '../../application/notifications/ports/ConnectionRepository.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import { Connection } from '../../domain/connection/Connection.js';
import { ConnectionId } from '../../domain/connection/ConnectionId.js';
import { RoomId } from '../../domain/connection/RoomId.js';
import { UserId } from '../../domain/connection/UserId.js';
import { ValidationError } from '../../domain/shared/ValidationError.js';
import type { ConnectionLocations } from './ConnectionLocations.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

const DEFAULT_PAGE = 100;

/**
 * A room member: `[connectionId, userId, connectedAtMs, expiresAtMs, nodeId]` as JSON. The room is a
 * sorted set with every score 0, so members sort by connection id (JSON keeps the id's prefix order),
 * a page is one ZRANGE BYLEX, and a broadcast rebuilds its connections without a read per connection.
 */
type Member = [string, string, number, number, string];

function memberOf(connection: Connection, nodeId: string): string {
  const member: Member = [
    connection.connectionId.value,
    connection.userId.value,
    connection.connectedAt.getTime(),
    connection.expiresAt.getTime(),
    nodeId,
  ];
  return JSON.stringify(member);
}

function parseMember(member: string): Member | undefined {
  try {
    const parsed: unknown = JSON.parse(member);
    if (!Array.isArray(parsed) || parsed.length !== 5) return undefined;
    const [id, user, connectedAt, expiresAt, node] = parsed as unknown[];
    if (typeof id !== 'string' || typeof user !== 'string' || typeof node !== 'string') return undefined;
    if (typeof connectedAt !== 'number' || typeof expiresAt !== 'number') return undefined;
    return [id, user, connectedAt, expiresAt, node];
  } catch {
    return undefined;
  }
}

/** Opaque to callers: the last member of the page, base64url, bound to its room. */
function encodeCursor(roomId: string, member: string): string {
  return Buffer.from(JSON.stringify([roomId, member]), 'utf8').toString('base64url');
}

function decodeCursor(roomId: string, cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === roomId && typeof parsed[1] === 'string') return parsed[1];
  } catch {
    // falls through
  }
  throw new ValidationError('cursor', 'is not a cursor of this room');
}

/**
 * Connections in Redis: a hash per connection (expiring with it: PEXPIREAT, no sweep), a sorted
 * set per room (expiring with its last member), a set per node (so a dead node's connections are
 * found without a scan). Expired members left in a room are dropped when a page meets them.
 */
export class RedisConnectionRepository implements ConnectionRepository {
  /** The connections this node saved and still holds, to write again should Redis come back without them. */
  private readonly held = new Map<string, Connection>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    /** The node saving connections: the gateway process that holds their sockets. */
    private readonly nodeId: string,
    private readonly locations?: ConnectionLocations,
  ) {}

  async save(connection: Connection): Promise<void> {
    const id = connection.connectionId.value;
    const member = memberOf(connection, this.nodeId);
    const roomKey = this.keys.room(connection.roomId.value);
    const expiresAt = connection.expiresAt.getTime();
    await this.redis.call('save connection', async (client) => {
      const previous = await client.hmget(this.keys.connection(id), 'room', 'member', 'node');
      const tx = client.multi();
      removeFromIndexes(tx, this.keys, id, previous);
      tx.hset(this.keys.connection(id), {
        room: connection.roomId.value,
        user: connection.userId.value,
        connectedAt: String(connection.connectedAt.getTime()),
        expiresAt: String(expiresAt),
        node: this.nodeId,
        member,
      });
      tx.pexpireat(this.keys.connection(id), expiresAt);
      tx.zadd(roomKey, 0, member);
      // The room lives as long as its longest-lived member (NX for a new key, GT to extend).
      tx.pexpireat(roomKey, expiresAt, 'NX');
      tx.pexpireat(roomKey, expiresAt, 'GT');
      tx.sadd(this.keys.nodeConnections(this.nodeId), id);
      await tx.exec();
    });
    this.held.set(id, connection);
    this.locations?.remember(id, this.nodeId);
  }

  /**
   * Writes again every connection this node holds (after Redis came back, possibly restarted
   * without its data), so broadcasts find them again. Expired ones are dropped instead.
   */
  async resync(): Promise<number> {
    const now = this.clock.now();
    let written = 0;
    for (const connection of [...this.held.values()]) {
      if (connection.isExpiredAt(now)) {
        this.held.delete(connection.connectionId.value);
        continue;
      }
      await this.save(connection);
      written += 1;
    }
    return written;
  }

  async get(connectionId: ConnectionId): Promise<Connection | undefined> {
    const fields = await this.redis.call('get connection', (client) => client.hgetall(this.keys.connection(connectionId.value)));
    const connection = connectionOf(connectionId.value, fields);
    return connection && !connection.isExpiredAt(this.clock.now()) ? connection : undefined;
  }

  async delete(connectionId: ConnectionId): Promise<void> {
    await this.deleteMany([connectionId]);
  }

  async deleteMany(connectionIds: readonly ConnectionId[]): Promise<void> {
    const ids = [...new Set(connectionIds.map((id) => id.value))];
    if (ids.length === 0) return;
    for (const id of ids) this.held.delete(id);
    await this.redis.call('delete connections', async (client) => {
      const read = client.pipeline();
      for (const id of ids) read.hmget(this.keys.connection(id), 'room', 'member', 'node');
      const found = (await read.exec()) ?? [];
      const tx = client.multi();
      ids.forEach((id, index) => {
        const [error, fields] = found[index] ?? [];
        removeFromIndexes(tx, this.keys, id, error ? [null, null, null] : (fields as Array<string | null>));
        tx.del(this.keys.connection(id));
      });
      await tx.exec();
    });
    for (const id of ids) this.locations?.forget(id);
  }

  async findByRoom(roomId: RoomId, page: ConnectionPageRequest = {}): Promise<ConnectionPage> {
    const limit = Math.max(1, page.limit ?? DEFAULT_PAGE);
    const roomKey = this.keys.room(roomId.value);
    const start = page.cursor === undefined ? '-' : `(${decodeCursor(roomId.value, page.cursor)}`;
    const members = await this.redis.call('find connections of a room', (client) =>
      client.zrangebylex(roomKey, start, '+', 'LIMIT', 0, limit),
    );
    const now = this.clock.now();
    const items: Connection[] = [];
    const expired: string[] = [];
    for (const member of members) {
      const parsed = parseMember(member);
      if (parsed === undefined) continue;
      const [id, user, connectedAt, expiresAt, node] = parsed;
      const connection = new Connection({
        connectionId: ConnectionId.of(id),
        roomId,
        userId: UserId.of(user),
        connectedAt: new Date(connectedAt),
        expiresAt: new Date(expiresAt),
      });
      if (connection.isExpiredAt(now)) {
        if (expiresAt <= Date.now()) expired.push(member);
        continue;
      }
      this.locations?.remember(id, node);
      items.push(connection);
    }
    // Members whose connection hash has expired (TTL) leave the room when a page meets them.
    if (expired.length > 0) void this.redis.call('drop expired members', (client) => client.zrem(roomKey, ...expired)).catch(() => 0);
    const last = members.at(-1);
    return members.length === limit && last !== undefined ? { items, nextCursor: encodeCursor(roomId.value, last) } : { items };
  }
}

type Transaction = ReturnType<Redis['multi']>;

/** Queues the removal of a connection from its room and node sets, given its stored `room`, `member`, `node`. */
function removeFromIndexes(tx: Transaction, keys: RedisKeys, id: string, fields: ReadonlyArray<string | null>): void {
  const [room, member, node] = fields;
  if (room && member) tx.zrem(keys.room(room), member);
  if (node) tx.srem(keys.nodeConnections(node), id);
}

function connectionOf(id: string, fields: Record<string, string>): Connection | undefined {
  const { room, user, connectedAt, expiresAt } = fields;
  if (room === undefined || user === undefined || connectedAt === undefined || expiresAt === undefined) return undefined;
  return new Connection({
    connectionId: ConnectionId.of(id),
    roomId: RoomId.of(room),
    userId: UserId.of(user),
    connectedAt: new Date(Number(connectedAt)),
    expiresAt: new Date(Number(expiresAt)),
  });
}
