import { expect } from 'chai';
import { InMemoryRoomHistory } from '../../../../src/adapters/memory/InMemoryRoomHistory.js';
import { RoomId } from '../../../../src/domain/connection/RoomId.js';
import { roomHistoryContract } from '../../../contracts/roomHistoryContract.js';
import { wholeSecondNow } from '../../../contracts/connectionRepositoryContract.js';
import { ManualClock } from '../../../support/ManualClock.js';

roomHistoryContract('InMemoryRoomHistory', async (retention) => {
  const clock = new ManualClock(wholeSecondNow());
  return { history: new InMemoryRoomHistory(clock, retention), clock };
});

describe('InMemoryRoomHistory', () => {
  it('starts a new epoch in a new process (its rooms are lost on restart)', async () => {
    const clock = new ManualClock();
    const before = await new InMemoryRoomHistory(clock).append(RoomId.of('r'), '{}');
    const after = await new InMemoryRoomHistory(clock).append(RoomId.of('r'), '{}');
    expect(after.seq).to.equal(1);
    expect(after.epoch).to.not.equal(before.epoch);
  });
});
