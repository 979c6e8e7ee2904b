import { RedisConnectionRepository } from '../../../src/adapters/redis/RedisConnectionRepository.js';
import { RedisRoomHistory } from '../../../src/adapters/redis/RedisRoomHistory.js';
import { RedisRoomPresence } from '../../../src/adapters/redis/RedisRoomPresence.js';
import { wholeSecondNow } from '../../contracts/connectionRepositoryContract.js';
import { roomHistoryContract } from '../../contracts/roomHistoryContract.js';
import { roomPresenceContract } from '../../contracts/roomPresenceContract.js';
import { ManualClock } from '../../support/ManualClock.js';
import { withLocalRedis } from './support/localRedis.js';

describe('room history and presence on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();
  roomHistoryContract('RedisRoomHistory', async (retention) => {
    const clock = new ManualClock(wholeSecondNow());
    return { history: new RedisRoomHistory(redis().connection, redis().keys, clock, retention), clock };
  });
  roomPresenceContract('RedisRoomPresence', async () => {
    const clock = new ManualClock(wholeSecondNow());
    return {
      presence: new RedisRoomPresence(redis().connection, redis().keys, clock),
      connections: new RedisConnectionRepository(redis().connection, redis().keys, clock, 'node-a'),
      clock,
    };
  });
});
