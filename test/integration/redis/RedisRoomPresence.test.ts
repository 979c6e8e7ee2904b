import { expect } from 'chai';
import { RedisRoomPresence } from '../../../src/adapters/redis/RedisRoomPresence.js';
import { Connection } from '../../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { ManualClock } from '../../support/ManualClock.js';
import { uniqueName } from '../../support/services/index.js';
import { withLocalRedis } from './support/localRedis.js';

describe('RedisRoomPresence on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();
  let clock: ManualClock;
  let presence: RedisRoomPresence;
  let roomName: string;

  beforeEach(function () {
    clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    presence = new RedisRoomPresence(redis().connection, redis().keys, clock);
    roomName = uniqueName('room');
  });

  const connection = (id: string, user: string, lifetimeMs = 3_600_000, room = roomName): Connection =>
    new Connection({
      connectionId: ConnectionId.of(`${roomName}-${id}`),
      roomId: RoomId.of(room),
      userId: UserId.of(user),
      connectedAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + lifetimeMs),
    });
  const plain = async (room = roomName) =>
    (await presence.members(RoomId.of(room))).map((m) => ({
      user: m.userId.value,
      connections: m.connections,
      at: m.connectedAt.getTime(),
    }));

  it("joins a user on the first connection only, and lists one member per user with the earliest connection's time", async function () {
    const start = clock.now().getTime();
    expect(await presence.connected(connection('a1', 'alice'))).to.equal(true);
    clock.advance(1_000);
    expect(await presence.connected(connection('a2', 'alice'))).to.equal(false);
    expect(await presence.connected(connection('b1', 'bob'))).to.equal(true);
    expect(await presence.connected(connection('a2', 'alice'))).to.equal(false);
    expect(await plain()).to.deep.equal([
      { user: 'alice', connections: 2, at: start },
      { user: 'bob', connections: 1, at: start + 1_000 },
    ]);
  });

  it('announces a leave when the last connection goes, once, even when forgotten twice', async function () {
    const [a1, a2, b1] = [connection('a1', 'alice'), connection('a2', 'alice'), connection('b1', 'bob')];
    for (const c of [a1, a2, b1]) await presence.connected(c);
    expect(await presence.disconnected([a1])).to.deep.equal([]);
    const left = await presence.disconnected([a2, b1]);
    expect(left.map((d) => [d.roomId.value, d.userId.value]).sort()).to.deep.equal([
      [roomName, 'alice'],
      [roomName, 'bob'],
    ]);
    expect(await presence.disconnected([a2, b1])).to.deep.equal([]);
    expect(await plain()).to.deep.equal([]);
  });

  it('counts only live connections: an expired one neither keeps a user present nor hides a join', async function () {
    await presence.connected(connection('a1', 'alice', 60_000));
    clock.advance(61_000);
    expect(await plain()).to.deep.equal([]);
    expect(await presence.connected(connection('a2', 'alice'))).to.equal(true);
    expect(await presence.disconnected([connection('a2', 'alice')])).to.have.length(1);
  });

  it('keeps rooms apart', async function () {
    const other = `${roomName}-other`;
    await presence.connected(connection('a1', 'alice'));
    expect(await presence.connected(connection('a9', 'alice', 3_600_000, other))).to.equal(true);
    expect((await plain(other)).map((m) => m.user)).to.deep.equal(['alice']);
  });
});
