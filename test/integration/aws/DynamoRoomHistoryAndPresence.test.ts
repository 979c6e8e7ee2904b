import { DynamoConnectionRepository } from '../../../src/adapters/aws/DynamoConnectionRepository.js';
import { DynamoRoomHistory } from '../../../src/adapters/aws/DynamoRoomHistory.js';
import { DynamoRoomPresence } from '../../../src/adapters/aws/DynamoRoomPresence.js';
import { wholeSecondNow } from '../../contracts/connectionRepositoryContract.js';
import { roomHistoryContract } from '../../contracts/roomHistoryContract.js';
import { roomPresenceContract } from '../../contracts/roomPresenceContract.js';
import { ManualClock } from '../../support/ManualClock.js';
import { withProvisionedLocalAws } from './support/localAws.js';

describe('room history and presence on DynamoDB Local (tables as `hermes provision` creates them)', function () {
  this.timeout(60_000);
  const aws = withProvisionedLocalAws();

  roomHistoryContract('DynamoRoomHistory', async (retention) => {
    const clock = new ManualClock(wholeSecondNow());
    return { history: new DynamoRoomHistory(aws().documents, aws().config.tables.history, clock, retention), clock };
  });

  roomPresenceContract('DynamoRoomPresence (room_id-index)', async () => {
    const clock = new ManualClock(wholeSecondNow());
    return {
      presence: new DynamoRoomPresence(aws().documents, aws().config.tables.connections, clock),
      connections: new DynamoConnectionRepository(aws().documents, aws().config.tables.connections, clock),
      clock,
    };
  });
});
