import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { HistoryRetention, RoomHistory } from '../../src/application/notifications/ports/RoomHistory.js';
import { RoomId } from '../../src/domain/connection/RoomId.js';
import type { ManualClock } from '../support/ManualClock.js';

export interface RoomHistoryFixture {
  readonly history: RoomHistory;
  /** The clock the history judges expiry by. */
  readonly clock: ManualClock;
}

/**
 * What every RoomHistory must do (memory, DynamoDB, Redis). `setup(retention)` makes a history with
 * that retention; tests use their own random room ids, so a fixture may share one store.
 */
export function roomHistoryContract(name: string, setup: (retention: HistoryRetention) => Promise<RoomHistoryFixture>): void {
  describe(`${name} honours the RoomHistory contract`, function () {
    let prefix: string;
    beforeEach(() => {
      prefix = randomBytes(4).toString('hex');
    });
    const room = (label: string): RoomId => RoomId.of(`${prefix}-${label}`);
    const envelope = (n: number): string => JSON.stringify({ id: `n-${n}`, type: 'info', data: n });

    it('numbers a room from 1, +1 per append, in one epoch; rooms are numbered apart', async function () {
      const { history } = await setup({ maxEntries: 10, ttlSeconds: 300 });
      const a = [await history.append(room('a'), envelope(1)), await history.append(room('a'), envelope(2))];
      const b = await history.append(room('b'), envelope(1));
      expect(a.map((position) => position.seq)).to.deep.equal([1, 2]);
      expect(a[0]?.epoch).to.be.a('string').and.not.equal('');
      expect(a[1]?.epoch).to.equal(a[0]?.epoch);
      expect(b.seq).to.equal(1);
    });

    it('never gives two concurrent appends the same seq', async function () {
      const { history } = await setup({ maxEntries: 100, ttlSeconds: 300 });
      const positions = await Promise.all(Array.from({ length: 20 }, (_, i) => history.append(room('busy'), envelope(i))));
      expect(positions.map((position) => position.seq).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(positions.map((position) => position.epoch)).size).to.equal(1);
    });

    it('reads the entries after a seq, in order, exactly as appended, with the latest position', async function () {
      const { history } = await setup({ maxEntries: 10, ttlSeconds: 300 });
      const positions = [];
      for (let n = 1; n <= 4; n += 1) positions.push(await history.append(room('r'), envelope(n)));
      const slice = await history.readSince(room('r'), 2);
      expect(slice.position).to.deep.equal(positions[3]);
      expect(slice.entries).to.deep.equal([
        { seq: 3, envelope: envelope(3) },
        { seq: 4, envelope: envelope(4) },
      ]);
      expect((await history.readSince(room('r'), 0)).entries.map((entry) => entry.seq)).to.deep.equal([1, 2, 3, 4]);
      expect((await history.readSince(room('r'), 4)).entries).to.deep.equal([]);
    });

    it('keeps only the newest maxEntries of a room', async function () {
      const { history } = await setup({ maxEntries: 3, ttlSeconds: 300 });
      for (let n = 1; n <= 7; n += 1) await history.append(room('r'), envelope(n));
      const slice = await history.readSince(room('r'), 0);
      expect(slice.position?.seq).to.equal(7);
      expect(slice.entries.map((entry) => entry.seq)).to.deep.equal([5, 6, 7]);
    });

    it('drops entries older than ttlSeconds, but keeps numbering the room in its epoch', async function () {
      const { history, clock } = await setup({ maxEntries: 10, ttlSeconds: 60 });
      const first = await history.append(room('r'), envelope(1));
      clock.advance(61_000);
      const second = await history.append(room('r'), envelope(2));
      expect(second).to.deep.equal({ seq: 2, epoch: first.epoch });
      expect((await history.readSince(room('r'), 0)).entries).to.deep.equal([{ seq: 2, envelope: envelope(2) }]);
      clock.advance(61_000);
      const idle = await history.readSince(room('r'), 0);
      expect(idle.entries).to.deep.equal([]);
      expect(idle.position).to.deep.equal(second);
    });

    it('has no position for a room never written', async function () {
      const { history } = await setup({ maxEntries: 10, ttlSeconds: 300 });
      expect(await history.readSince(room('never'), 0)).to.deep.equal({ position: undefined, entries: [] });
    });

    it('with maxEntries 0, numbers notifications but keeps none', async function () {
      const { history } = await setup({ maxEntries: 0, ttlSeconds: 300 });
      await history.append(room('r'), envelope(1));
      const slice = await history.readSince(room('r'), 0);
      expect(slice.position?.seq).to.equal(1);
      expect(slice.entries).to.deep.equal([]);
    });
  });
}
