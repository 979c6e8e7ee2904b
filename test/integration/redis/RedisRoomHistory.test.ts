import { expect } from 'chai';
import { RedisRoomHistory } from '../../../src/adapters/redis/RedisRoomHistory.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { ManualClock } from '../../support/ManualClock.js';
import { uniqueName } from '../../support/services/index.js';
import { withLocalRedis } from './support/localRedis.js';

describe('RedisRoomHistory on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();
  let clock: ManualClock;

  beforeEach(function () {
    clock = new ManualClock(new Date());
  });

  const history = (maxEntries = 100, ttlSeconds = 300): RedisRoomHistory =>
    new RedisRoomHistory(redis().connection, redis().keys, clock, { maxEntries, ttlSeconds });
  const room = (): RoomId => RoomId.of(uniqueName('room'));

  it('has no position for a room never written', async function () {
    expect(await history().readSince(room(), 0)).to.deep.equal({ position: undefined, entries: [] });
  });

  it('numbers a room from 1 in one epoch and returns the entries after a seq', async function () {
    const h = history();
    const r = room();
    const positions = [];
    for (let i = 1; i <= 4; i++) positions.push(await h.append(r, `{"n":${i}}`));
    expect(positions.map((p) => p.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(new Set(positions.map((p) => p.epoch)).size).to.equal(1);
    const slice = await h.readSince(r, 2);
    expect(slice.position).to.deep.equal(positions[3]);
    expect(slice.entries).to.deep.equal([
      { seq: 3, envelope: '{"n":3}' },
      { seq: 4, envelope: '{"n":4}' },
    ]);
  });

  it('never gives two concurrent appends (two nodes) the same seq', async function () {
    const r = room();
    const [a, b] = [history(), history()];
    const positions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append(r, `{"n":${i}}`)));
    expect(positions.map((p) => p.seq).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('keeps the newest maxEntries and drops entries older than the TTL, keeping the position', async function () {
    const h = history(3, 60);
    const r = room();
    for (let i = 1; i <= 5; i++) await h.append(r, `{"n":${i}}`);
    expect((await h.readSince(r, 0)).entries.map((e) => e.seq)).to.deep.equal([3, 4, 5]);
    clock.advance(61_000);
    const slice = await h.readSince(r, 0);
    expect(slice.entries).to.deep.equal([]);
    expect(slice.position?.seq).to.equal(5);
  });

  it('starts a new epoch at seq 1 when the room’s counter is gone (expired, or Redis lost it)', async function () {
    const h = history();
    const r = room();
    const before = await h.append(r, '{"n":1}');
    await h.append(r, '{"n":2}');
    await redis().connection.client.del(redis().keys.roomPosition(r.value));
    const after = await h.append(r, '{"n":3}');
    expect(after.seq).to.equal(1);
    expect(after.epoch).to.not.equal(before.epoch);
    expect((await h.readSince(r, 0)).entries).to.deep.equal([{ seq: 1, envelope: '{"n":3}' }]);
  });

  it('lets the keys expire on their own: the list with the TTL, the position a day later', async function () {
    const h = history(10, 60);
    const r = room();
    await h.append(r, '{"n":1}');
    const listTtl = await redis().connection.client.pttl(redis().keys.roomHistory(r.value));
    const positionTtl = await redis().connection.client.pttl(redis().keys.roomPosition(r.value));
    expect(listTtl).to.be.within(59_000, 60_000);
    expect(positionTtl).to.be.within(24 * 3600 * 1000, 24 * 3600 * 1000 + 60_000);
  });
});
