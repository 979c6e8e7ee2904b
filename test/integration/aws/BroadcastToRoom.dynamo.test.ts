import { expect } from 'chai';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { BroadcastToRoom } from '../../../src/application/notifications/usecases/BroadcastToRoom.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { DynamoConnectionRepository } from '../../../src/adapters/aws/DynamoConnectionRepository.js';
import { Connection } from '../../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { Notification } from '../../../src/domain/notification/Notification.js';
import { FakeSink } from '../../support/FakeSink.js';
import { uniqueName } from '../../support/services/index.js';
import { localstackCore, type LocalstackCore } from './support/localstackContainer.js';
import { withProvisionedLocalAws } from './support/localAws.js';

describe('BroadcastToRoom on the localstack profile (DynamoDB Local)', function () {
  this.timeout(60_000);
  const aws = withProvisionedLocalAws();
  let core: LocalstackCore;

  before(function () {
    core = localstackCore(aws().env);
  });

  it('is wired to the DynamoDB repository', function () {
    expect(core.connections).to.be.instanceOf(DynamoConnectionRepository);
  });

  it('delivers to every live connection of the room and deletes the gone ones from the table', async function () {
    const room = uniqueName('room');
    const register = core.container.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    const broadcast = core.container.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom);
    const live = Array.from({ length: 30 }, (_, i) => `${room}-live-${i}`);
    const gone = Array.from({ length: 40 }, (_, i) => `${room}-gone-${i}`);
    const sinks = new Map(live.map((id) => [id, new FakeSink()]));
    for (const id of live) await register.execute({ connectionId: id, roomId: room, userId: 'u' });
    // Gone for a minute already: past the grace BroadcastToRoom gives a connection whose $connect may still run.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    for (const id of gone) {
      await core.connections.save(
        Connection.open({ connectionId: ConnectionId.of(id), roomId: RoomId.of(room), userId: UserId.of('u'), connectedAt: aMinuteAgo }),
      );
    }
    await register.execute({ connectionId: `${room}-elsewhere`, roomId: `${room}-other`, userId: 'u' });
    const elsewhere = new FakeSink();
    core.registry.register(`${room}-elsewhere`, elsewhere);
    for (const [id, sink] of sinks) core.registry.register(id, sink);

    const notification = Notification.create({
      id: 'n-1',
      type: 'info',
      roomId: RoomId.of(room),
      data: { hello: 'room' },
      sentAt: new Date(),
    });
    expect(await broadcast.execute(notification)).to.deep.equal({ delivered: 30, gone: 40, failed: 0 });
    for (const sink of sinks.values()) expect(sink.messages.map((m) => m['data'])).to.deep.equal([{ hello: 'room' }]);
    expect(elsewhere.received).to.deep.equal([]);

    for (const id of [gone[0], gone[39]]) {
      const { Item } = await aws().documents.send(
        new GetCommand({ TableName: aws().config.tables.connections, Key: { connection_id: id } }),
      );
      expect(Item, id).to.equal(undefined);
    }
    const remaining = await core.connections.findByRoom(RoomId.of(room), { limit: 1000 });
    expect(remaining.items.map((c) => c.connectionId.value).sort()).to.deep.equal([...live].sort());
    expect(await broadcast.execute(notification)).to.deep.equal({ delivered: 30, gone: 0, failed: 0 });
  });
});
