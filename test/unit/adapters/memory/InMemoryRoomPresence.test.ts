import { InMemoryConnectionRepository } from '../../../../src/adapters/memory/InMemoryConnectionRepository.js';
import { InMemoryRoomPresence } from '../../../../src/adapters/memory/InMemoryRoomPresence.js';
import { wholeSecondNow } from '../../../contracts/connectionRepositoryContract.js';
import { roomPresenceContract } from '../../../contracts/roomPresenceContract.js';
import { ManualClock } from '../../../support/ManualClock.js';

roomPresenceContract('InMemoryRoomPresence', async () => {
  const clock = new ManualClock(wholeSecondNow());
  return { presence: new InMemoryRoomPresence(clock), connections: new InMemoryConnectionRepository(clock), clock };
});
