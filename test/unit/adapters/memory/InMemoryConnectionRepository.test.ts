import { InMemoryConnectionRepository } from '../../../../src/adapters/memory/InMemoryConnectionRepository.js';
import { connectionRepositoryContract, wholeSecondNow } from '../../../contracts/connectionRepositoryContract.js';
import { ManualClock } from '../../../support/ManualClock.js';

connectionRepositoryContract('InMemoryConnectionRepository', async () => {
  const clock = new ManualClock(wholeSecondNow());
  return { repository: new InMemoryConnectionRepository(clock), clock };
});
