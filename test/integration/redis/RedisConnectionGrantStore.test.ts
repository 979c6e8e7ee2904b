import { expect } from 'chai';
import { RedisConnectionGrantStore } from '../../../src/adapters/redis/RedisConnectionGrantStore.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { connectionGrantStoreContract } from '../../contracts/connectionGrantStoreContract.js';
import { uniqueName } from '../../support/services/index.js';
import { withLocalRedis } from './support/localRedis.js';

describe('RedisConnectionGrantStore on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();

  connectionGrantStoreContract('RedisConnectionGrantStore', async () => new RedisConnectionGrantStore(redis().connection, redis().keys));

  it('keeps only the hash and the expiry, and lets the key expire an hour after the grant', async function () {
    const store = new RedisConnectionGrantStore(redis().connection, redis().keys);
    const userId = UserId.of(uniqueName('user'));
    const expiresAt = new Date(Date.now() + 3_600_000);
    await store.put({ userId, roomId: RoomId.of('lobby'), tokenHash: '$2b$04$hash', expiresAt });
    const key = redis().keys.grant(userId.value, 'lobby');
    expect(await redis().connection.client.hgetall(key)).to.deep.equal({
      tokenHash: '$2b$04$hash',
      expiresAt: String(expiresAt.getTime()),
    });
    expect(await redis().connection.client.pexpiretime(key)).to.equal(expiresAt.getTime() + 3_600_000);
  });
});
