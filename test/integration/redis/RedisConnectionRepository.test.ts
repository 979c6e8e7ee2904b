import { expect } from 'chai';
import sinon from 'sinon';
import { ConnectionLocations } from '../../../src/adapters/redis/ConnectionLocations.js';
import { RedisConnectionRepository } from '../../../src/adapters/redis/RedisConnectionRepository.js';
import { Connection } from '../../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { connectionRepositoryContract } from '../../contracts/connectionRepositoryContract.js';
import { freshClock, onFreshClock, openConnection, pagesOfRoom, savedRoom } from '../../contracts/connectionRepositoryFixtures.js';
import type { ManualClock } from '../../support/ManualClock.js';
import { uniqueName } from '../../support/services/index.js';
import { withLocalRedis } from './support/localRedis.js';

describe('RedisConnectionRepository on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();

  const repositoryWith = (clock: ManualClock, node = 'node-a', locations?: ConnectionLocations): RedisConnectionRepository =>
    new RedisConnectionRepository(redis().connection, redis().keys, clock, node, locations);

  connectionRepositoryContract('RedisConnectionRepository', onFreshClock(repositoryWith), { checksCursors: true });

  it('pages a room with one ZRANGE per page (no read per connection, never KEYS or SCAN)', async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock);
    const room = uniqueName('big');
    const ids = await savedRoom(repository, clock, room, 120);
    const sent = sinon.spy(redis().connection.client, 'sendCommand');
    try {
      const { pages, ids: seen } = await pagesOfRoom(repository, RoomId.of(room), 50);
      expect(seen).to.deep.equal(ids);
      const commands = sent.getCalls().map((call) => call.args[0].name.toLowerCase());
      expect(commands).to.deep.equal(Array.from({ length: pages.length }, () => 'zrangebylex'));
    } finally {
      sent.restore();
    }
  });

  it('keys everything under hermes:<stage>: and lets each key expire with its connection (PEXPIREAT, no sweep)', async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock);
    const room = uniqueName('ttl');
    const connection = openConnection(clock, `${room}-a`, room);
    await repository.save(connection);
    const client = redis().connection.client;
    expect(redis().keys.connection(`${room}-a`).startsWith(redis().keys.prefix)).to.equal(true);
    expect(redis().keys.prefix).to.match(/^hermes:test-[0-9a-f]{8}:$/);
    expect(await client.pexpiretime(redis().keys.connection(`${room}-a`))).to.equal(connection.expiresAt.getTime());
    expect(await client.pexpiretime(redis().keys.room(room))).to.equal(connection.expiresAt.getTime());
    const later = new Connection({
      ...connection,
      connectionId: ConnectionId.of(`${room}-b`),
      expiresAt: new Date(connection.expiresAt.getTime() + 60_000),
    });
    await repository.save(later);
    expect(await client.pexpiretime(redis().keys.room(room))).to.equal(later.expiresAt.getTime());
  });

  it('records which node holds each connection, in the node set and for the notifier', async function () {
    const clock = freshClock();
    const locations = new ConnectionLocations();
    const node = uniqueName('node');
    const repository = repositoryWith(clock, node, locations);
    const room = uniqueName('nodes');
    await repository.save(openConnection(clock, `${room}-a`, room));
    expect(await redis().connection.client.smembers(redis().keys.nodeConnections(node))).to.deep.equal([`${room}-a`]);
    const reader = new ConnectionLocations();
    await repositoryWith(clock, 'other', reader).findByRoom(RoomId.of(room));
    expect(reader.nodeOf(`${room}-a`)).to.equal(node);
    await repository.delete(ConnectionId.of(`${room}-a`));
    expect(await redis().connection.client.smembers(redis().keys.nodeConnections(node))).to.deep.equal([]);
  });

  it('writes its connections again after Redis lost them (resync)', async function () {
    const clock = freshClock();
    const repository = repositoryWith(clock, uniqueName('node'));
    const room = uniqueName('resync');
    await repository.save(openConnection(clock, `${room}-a`, room));
    await repository.save(openConnection(clock, `${room}-b`, room));
    await repository.delete(ConnectionId.of(`${room}-b`));
    await redis().connection.client.del(redis().keys.room(room), redis().keys.connection(`${room}-a`));
    expect(await repository.resync()).to.equal(1);
    expect((await repository.findByRoom(RoomId.of(room))).items.map((c) => c.connectionId.value)).to.deep.equal([`${room}-a`]);
  });
});
