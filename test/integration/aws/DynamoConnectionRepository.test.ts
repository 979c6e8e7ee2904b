import { expect } from 'chai';
import sinon from 'sinon';
import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoConnectionRepository } from '../../../src/adapters/aws/DynamoConnectionRepository.js';
import { Connection } from '../../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { connectionRepositoryContract } from '../../contracts/connectionRepositoryContract.js';
import { freshClock, onFreshClock, openConnection, pagesOfRoom, savedRoom } from '../../contracts/connectionRepositoryFixtures.js';
import { ManualClock } from '../../support/ManualClock.js';
import { uniqueName } from '../../support/services/index.js';
import { withProvisionedLocalAws } from './support/localAws.js';

describe('DynamoConnectionRepository on DynamoDB Local', function () {
  this.timeout(60_000);
  const aws = withProvisionedLocalAws();

  const repositoryWith = (clock: ManualClock): DynamoConnectionRepository =>
    new DynamoConnectionRepository(aws().documents, aws().config.tables.connections, clock);

  connectionRepositoryContract('DynamoConnectionRepository', onFreshClock(repositoryWith), { checksCursors: true });

  it('pages a large room through the GSI, never scanning', async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock);
    const room = uniqueName('big-room');
    const other = uniqueName('other-room');
    const ids = await savedRoom(repository, clock, room, 250);
    await savedRoom(repository, clock, other, 30);

    const send = sinon.spy(aws().documents, 'send');
    try {
      const { pages, ids: seen } = await pagesOfRoom(repository, RoomId.of(room), 7);
      for (const page of pages) expect(page.items.length).to.be.at.most(7);
      expect(pages.length).to.be.at.least(36);
      expect(seen).to.deep.equal([...ids].sort());
      const commands: unknown[] = send.getCalls().map((call) => call.args[0]);
      expect(commands.some((command) => command instanceof ScanCommand)).to.equal(false);
      const queries = commands.filter((command): command is QueryCommand => command instanceof QueryCommand);
      expect(queries.length).to.equal(send.callCount);
      for (const query of queries) expect(query.input.IndexName).to.equal('room_id-index');
    } finally {
      send.restore();
    }
  });

  it('rebuilds connections from the index alone (no GetItem per connection)', async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock);
    const room = uniqueName('projected');
    await repository.save(openConnection(clock, `${room}-a`, room));
    const send = sinon.spy(aws().documents, 'send');
    try {
      const page = await repository.findByRoom(RoomId.of(room));
      expect(page.items.map((c) => [c.userId.value, c.expiresAt.getTime()])).to.deep.equal([
        [`user-${room}-a`, clock.now().getTime() + 2 * 3600 * 1000],
      ]);
      expect(send.getCalls().some((call) => call.args[0] instanceof GetCommand)).to.equal(false);
    } finally {
      send.restore();
    }
  });

  it('writes expires_at as epoch seconds, the TTL attribute, rounded up', async function () {
    const clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000 + 250));
    const repository = repositoryWith(clock);
    const id = uniqueName('ttl');
    const connection = openConnection(clock, id, 'ttl-room');
    await repository.save(connection);
    const { Item } = await aws().documents.send(new GetCommand({ TableName: aws().config.tables.connections, Key: { connection_id: id } }));
    expect(Item?.['expires_at']).to.equal(Math.ceil(connection.expiresAt.getTime() / 1000));
    expect(Item?.['room_id']).to.equal('ttl-room');
  });

  it('skips items TTL has not removed yet, even when a whole page is expired', async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock);
    const room = uniqueName('stale');
    for (let i = 0; i < 12; i++) {
      await repository.save(
        new Connection({
          connectionId: ConnectionId.of(`${room}-old-${i}`),
          roomId: RoomId.of(room),
          userId: UserId.of('u'),
          connectedAt: clock.now(),
          expiresAt: new Date(clock.now().getTime() + 60_000),
        }),
      );
    }
    await repository.save(openConnection(clock, `${room}-zz-live`, room));
    clock.advance(120_000);
    const page = await repository.findByRoom(RoomId.of(room), { limit: 5 });
    expect(page.items.map((c) => c.connectionId.value)).to.deep.equal([`${room}-zz-live`]);
  });

  it("ignores the seed's items (no expiry) instead of failing", async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock);
    const room = uniqueName('legacy');
    await aws().documents.send(
      new PutCommand({
        TableName: aws().config.tables.connections,
        Item: { connection_id: `${room}-seed`, room_id: room, user_id: '7' },
      }),
    );
    await repository.save(openConnection(clock, `${room}-new`, room));
    expect((await repository.findByRoom(RoomId.of(room))).items.map((c) => c.connectionId.value)).to.deep.equal([`${room}-new`]);
    expect(await repository.get(ConnectionId.of(`${room}-seed`))).to.equal(undefined);
  });
});
