import type { RoomPresence } from '../../application/notifications/ports/RoomPresence.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { Connection } from '../../domain/connection/Connection.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import { UserId } from '../../domain/connection/UserId.js';
import type { PresenceDeparture, PresenceMember } from '../../domain/presence/PresenceMember.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

/**
 * Adds one connection of a user to a room and tells whether the user had no other live connection
 * there (the join), atomically: two nodes connecting the same user announce one join. Expired
 * connections met on the way are dropped.
 */
const CONNECTED = `
local now = tonumber(ARGV[3])
local others = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= ARGV[1] then
    local expires = tonumber(string.match(all[i + 1], ' (%d+)$'))
    if expires and expires > now then others = others + 1 else redis.call('HDEL', KEYS[1], all[i]) end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[4])
for k = 1, 2 do
  redis.call('PEXPIREAT', KEYS[k], ARGV[5], 'NX')
  redis.call('PEXPIREAT', KEYS[k], ARGV[5], 'GT')
end
if others == 0 then return 1 end
return 0`;

/**
 * Removes connections of one user from a room; the user left when one of them was still there and
 * no other live connection remains. A second removal of the same connections announces nothing.
 */
const DISCONNECTED = `
local removed = 0
for i = 3, #ARGV do removed = removed + redis.call('HDEL', KEYS[1], ARGV[i]) end
if removed == 0 then return 0 end
local now = tonumber(ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local expires = tonumber(string.match(all[i + 1], ' (%d+)$'))
  if expires and expires > now then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`;

function byUserId(a: PresenceMember, b: PresenceMember): number {
  return a.userId.value < b.userId.value ? -1 : a.userId.value > b.userId.value ? 1 : 0;
}

/**
 * Presence in Redis, shared by every gateway node: per room a sorted set of its users, per user a
 * hash of their connections there (`<connectedAtMs> <expiresAtMs>`), each key expiring with its
 * longest-lived connection. A dead node's connections leave through the same `disconnected` call
 * (its connections are forgotten by the node registry's cleanup), so their users' leave is announced.
 */
export class RedisRoomPresence implements RoomPresence {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async connected(connection: Connection): Promise<boolean> {
    const room = connection.roomId.value;
    const user = connection.userId.value;
    const joined = await this.redis.call('record presence', (client) =>
      client.eval(
        CONNECTED,
        2,
        this.keys.roomUserConnections(room, user),
        this.keys.roomUsers(room),
        connection.connectionId.value,
        `${connection.connectedAt.getTime()} ${connection.expiresAt.getTime()}`,
        this.clock.now().getTime(),
        user,
        connection.expiresAt.getTime(),
      ),
    );
    return joined === 1;
  }

  async disconnected(connections: readonly Connection[]): Promise<readonly PresenceDeparture[]> {
    const groups = new Map<string, Connection[]>();
    for (const connection of connections) {
      const key = JSON.stringify([connection.roomId.value, connection.userId.value]);
      groups.set(key, [...(groups.get(key) ?? []), connection]);
    }
    const now = this.clock.now().getTime();
    const departures: PresenceDeparture[] = [];
    for (const group of groups.values()) {
      const [first] = group as [Connection];
      const left = await this.redis.call('forget presence', (client) =>
        client.eval(
          DISCONNECTED,
          2,
          this.keys.roomUserConnections(first.roomId.value, first.userId.value),
          this.keys.roomUsers(first.roomId.value),
          now,
          first.userId.value,
          ...group.map((connection) => connection.connectionId.value),
        ),
      );
      if (left === 1) departures.push({ roomId: first.roomId, userId: first.userId });
    }
    return departures;
  }

  async members(roomId: RoomId): Promise<readonly PresenceMember[]> {
    const room = roomId.value;
    const now = this.clock.now().getTime();
    const members = await this.redis.call('list presence', async (client) => {
      const users = await client.zrange(this.keys.roomUsers(room), '0', '-1');
      if (users.length === 0) return [];
      const read = client.pipeline();
      for (const user of users) read.hvals(this.keys.roomUserConnections(room, user));
      const results = (await read.exec()) ?? [];
      return users.flatMap((user, index): PresenceMember[] => {
        const values = (results[index]?.[1] as string[] | undefined) ?? [];
        let count = 0;
        let earliest = Number.POSITIVE_INFINITY;
        for (const value of values) {
          const [connectedAt, expiresAt] = value.split(' ').map(Number) as [number, number];
          if (!(expiresAt > now)) continue;
          count += 1;
          earliest = Math.min(earliest, connectedAt);
        }
        return count > 0 ? [{ userId: UserId.of(user), connections: count, connectedAt: new Date(earliest) }] : [];
      });
    });
    return members.sort(byUserId);
  }
}
