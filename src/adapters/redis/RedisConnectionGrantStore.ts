import type { ConnectionGrantStore } from '../../application/notifications/ports/ConnectionGrantStore.js';
import type { ConnectionGrant } from '../../domain/connection/ConnectionGrant.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { UserId } from '../../domain/connection/UserId.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

/** Kept this long past their expiry, as DynamoDB's TTL keeps items a while: the authorizer judges expiry. */
const GRACE_MS = 60 * 60 * 1000;

/** Grants in Redis: one hash per (user, room), expiring on its own (PEXPIREAT) an hour after the grant does. */
export class RedisConnectionGrantStore implements ConnectionGrantStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async put(grant: ConnectionGrant): Promise<void> {
    const key = this.keys.grant(grant.userId.value, grant.roomId.value);
    await this.redis.call('put grant', async (client) => {
      await client
        .multi()
        .del(key)
        .hset(key, { tokenHash: grant.tokenHash, expiresAt: String(grant.expiresAt.getTime()) })
        .pexpireat(key, grant.expiresAt.getTime() + GRACE_MS)
        .exec();
    });
  }

  async get(userId: UserId, roomId: RoomId): Promise<ConnectionGrant | undefined> {
    const fields = await this.redis.call('get grant', (client) => client.hgetall(this.keys.grant(userId.value, roomId.value)));
    const { tokenHash, expiresAt } = fields;
    if (tokenHash === undefined || expiresAt === undefined) return undefined;
    return { userId, roomId, tokenHash, expiresAt: new Date(Number(expiresAt)) };
  }

  async revoke(userId: UserId, roomId: RoomId): Promise<void> {
    await this.redis.call('revoke grant', (client) => client.del(this.keys.grant(userId.value, roomId.value)));
  }
}
