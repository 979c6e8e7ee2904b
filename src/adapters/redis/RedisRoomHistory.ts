import { randomBytes } from 'node:crypto';
import {
  DEFAULT_HISTORY_RETENTION,
  type HistoryEntry,
  type HistoryRetention,
  type HistorySlice,
  type RoomHistory,
} from '../../application/notifications/ports/RoomHistory.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { RoomPosition } from '../../domain/notification/RoomPosition.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

/**
 * One script, so the seq is assigned, the entry kept and the list trimmed atomically: two nodes
 * publishing to one room never share a seq. A room without a position (never written, or expired)
 * starts a new epoch at seq 1 and drops whatever list it had.
 */
const APPEND = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  redis.call('DEL', KEYS[2])
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local keep = tonumber(ARGV[4])
if keep > 0 then
  redis.call('RPUSH', KEYS[2], seq .. ' ' .. ARGV[3] .. ' ' .. ARGV[2])
  redis.call('LTRIM', KEYS[2], -keep, -1)
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {seq, epoch}`;

/** A room's position outlives its entries by this much, so a client resuming after a quiet spell keeps its epoch. */
const POSITION_RETENTION_MS = 24 * 3600 * 1000;

function newEpoch(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Room histories in Redis: a hash per room for the position (`epoch`, `seq`), a list per room for
 * the newest `maxEntries` envelopes, each expiring on its own (no sweep).
 */
export class RedisRoomHistory implements RoomHistory {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly retention: HistoryRetention = DEFAULT_HISTORY_RETENTION,
  ) {}

  async append(roomId: RoomId, envelope: string): Promise<RoomPosition> {
    const { maxEntries, ttlSeconds } = this.retention;
    const ttlMs = ttlSeconds * 1000;
    const expiresAt = this.clock.now().getTime() + ttlMs;
    const [seq, epoch] = (await this.redis.call('append to room history', (client) =>
      client.eval(
        APPEND,
        2,
        this.keys.roomPosition(roomId.value),
        this.keys.roomHistory(roomId.value),
        newEpoch(),
        envelope,
        expiresAt,
        maxEntries,
        Math.max(1, ttlMs),
        ttlMs + POSITION_RETENTION_MS,
      ),
    )) as [number, string];
    return { seq: Number(seq), epoch };
  }

  async readSince(roomId: RoomId, since: number): Promise<HistorySlice> {
    const [position, lines] = await this.redis.call('read room history', async (client) => {
      const results = await client
        .pipeline()
        .hmget(this.keys.roomPosition(roomId.value), 'epoch', 'seq')
        .lrange(this.keys.roomHistory(roomId.value), 0, -1)
        .exec();
      const [positionError, fields] = results?.[0] ?? [];
      const [listError, list] = results?.[1] ?? [];
      if (positionError) throw positionError;
      if (listError) throw listError;
      return [fields as Array<string | null>, list as string[]] as const;
    });
    const [epoch, seq] = position;
    if (!epoch || !seq) return { position: undefined, entries: [] };
    const now = this.clock.now().getTime();
    const entries: HistoryEntry[] = [];
    for (const line of lines) {
      const first = line.indexOf(' ');
      const second = line.indexOf(' ', first + 1);
      const entrySeq = Number(line.slice(0, first));
      const expiresAt = Number(line.slice(first + 1, second));
      if (entrySeq > since && expiresAt > now) entries.push({ seq: entrySeq, envelope: line.slice(second + 1) });
    }
    return { position: { seq: Number(seq), epoch }, entries };
  }
}
