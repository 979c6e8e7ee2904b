import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { ConnectionRepository } from '../../src/application/notifications/ports/ConnectionRepository.js';
import { Connection } from '../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../src/domain/connection/RoomId.js';
import { UserId } from '../../src/domain/connection/UserId.js';
import { ValidationError } from '../../src/domain/shared/ValidationError.js';
import type { ManualClock } from '../support/ManualClock.js';
import { type ConnectionRepositoryFixture, pagesOfRoom, type RoomPages } from './connectionRepositoryFixtures.js';

export { type ConnectionRepositoryFixture, wholeSecondNow } from './connectionRepositoryFixtures.js';

/** What a store can do beyond the contract every ConnectionRepository honours. */
export interface ConnectionRepositoryCapabilities {
  /** Its cursors name a position it can check (Redis, DynamoDB): one it did not issue, or of another room, is a ValidationError. */
  readonly checksCursors?: boolean;
}

const HOUR_MS = 3600 * 1000;

/**
 * What every ConnectionRepository must do, and what some do besides where `capabilities` says so.
 * `setup` runs before each test; tests use their own random ids, so a fixture may share one store
 * between tests.
 */
export function connectionRepositoryContract(
  name: string,
  setup: () => Promise<ConnectionRepositoryFixture>,
  capabilities: ConnectionRepositoryCapabilities = {},
): void {
  describe(`${name} honours the ConnectionRepository contract`, function () {
    let repository: ConnectionRepository;
    let clock: ManualClock;
    let prefix: string;

    beforeEach(async function () {
      ({ repository, clock } = await setup());
      prefix = randomBytes(4).toString('hex');
    });

    const room = (name: string): RoomId => RoomId.of(`${prefix}-${name}`);
    const id = (name: string): ConnectionId => ConnectionId.of(`${prefix}-${name}`);
    const connection = (name: string, roomName: string, lifetimeMs = 2 * HOUR_MS, user = 'u-1'): Connection =>
      new Connection({
        connectionId: id(name),
        roomId: room(roomName),
        userId: UserId.of(user),
        connectedAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + lifetimeMs),
      });

    const allOfRoom = (roomName: string, limit?: number): Promise<RoomPages> => pagesOfRoom(repository, room(roomName), limit);

    it('returns a saved connection with every field intact', async function () {
      const saved = new Connection({
        connectionId: id('L0SM9cOFvHcCIhw='),
        roomId: room('lobby'),
        userId: UserId.of('auth0|42'),
        connectedAt: new Date(clock.now().getTime() - 1234),
        expiresAt: new Date(clock.now().getTime() + HOUR_MS),
      });
      await repository.save(saved);
      const found = await repository.get(saved.connectionId);
      expect(found).to.not.equal(undefined);
      expect(found?.connectionId.value).to.equal(saved.connectionId.value);
      expect(found?.roomId.value).to.equal(saved.roomId.value);
      expect(found?.userId.value).to.equal('auth0|42');
      expect(found?.connectedAt.getTime()).to.equal(saved.connectedAt.getTime());
      expect(found?.expiresAt.getTime()).to.equal(saved.expiresAt.getTime());
    });

    it('returns undefined for an unknown connection', async function () {
      expect(await repository.get(id('never-saved'))).to.equal(undefined);
    });

    it('replaces a connection saved again, moving it to its new room', async function () {
      await repository.save(connection('c1', 'first'));
      await repository.save(connection('c1', 'second'));
      expect((await allOfRoom('first')).ids).to.deep.equal([]);
      expect((await allOfRoom('second')).ids).to.deep.equal([id('c1').value]);
      expect((await repository.get(id('c1')))?.roomId.value).to.equal(room('second').value);
    });

    it('deletes a connection, idempotently', async function () {
      await repository.save(connection('c1', 'lobby'));
      await repository.save(connection('c2', 'lobby'));
      await repository.delete(id('c1'));
      await repository.delete(id('c1'));
      await repository.delete(id('unknown'));
      expect(await repository.get(id('c1'))).to.equal(undefined);
      expect((await allOfRoom('lobby')).ids).to.deep.equal([id('c2').value]);
    });

    it('deletes many connections at once (more than one batch, duplicates and unknown ids included)', async function () {
      const names = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(2, '0')}`);
      for (const name of names) await repository.save(connection(name, 'crowd'));
      const doomed = names.filter((_, i) => i % 3 !== 0);
      await repository.deleteMany([...doomed.map(id), id(doomed[0] ?? 'c01'), id('unknown')]);
      await repository.deleteMany([]);
      const kept = names.filter((_, i) => i % 3 === 0).map((name) => id(name).value);
      expect((await allOfRoom('crowd')).ids.sort()).to.deep.equal(kept.sort());
      expect(await repository.get(id(doomed[5] ?? 'c05'))).to.equal(undefined);
    });

    it("finds only the room's own connections", async function () {
      await repository.save(connection('a1', 'alpha'));
      await repository.save(connection('a2', 'alpha'));
      await repository.save(connection('b1', 'beta'));
      expect((await allOfRoom('alpha')).ids.sort()).to.deep.equal([id('a1').value, id('a2').value].sort());
      expect((await allOfRoom('beta')).ids).to.deep.equal([id('b1').value]);
    });

    it('answers an empty last page for a room without connections', async function () {
      const page = await repository.findByRoom(room('empty'));
      expect(page.items).to.deep.equal([]);
      expect(page.nextCursor).to.equal(undefined);
    });

    it('pages through a room with cursors: no item twice, none missed, none over the limit, stable order', async function () {
      const names = Array.from({ length: 23 }, (_, i) => `m${String(i).padStart(2, '0')}`);
      for (const name of names) await repository.save(connection(name, 'paged'));
      const first = await allOfRoom('paged', 5);
      expect(first.pages.length).to.be.at.least(5);
      for (const page of first.pages) expect(page.items.length).to.be.at.most(5);
      expect(new Set(first.ids).size).to.equal(first.ids.length);
      expect([...first.ids].sort()).to.deep.equal(names.map((name) => id(name).value).sort());
      expect((await allOfRoom('paged', 5)).ids).to.deep.equal(first.ids);
    });

    it('leaves expired connections out of get and findByRoom', async function () {
      await repository.save(connection('short', 'mixed', HOUR_MS));
      await repository.save(connection('long', 'mixed', 3 * HOUR_MS));
      expect((await allOfRoom('mixed')).ids.sort()).to.deep.equal([id('long').value, id('short').value].sort());
      clock.advance(2 * HOUR_MS);
      expect(await repository.get(id('short'))).to.equal(undefined);
      expect((await repository.get(id('long')))?.connectionId.value).to.equal(id('long').value);
      expect((await allOfRoom('mixed', 1)).ids).to.deep.equal([id('long').value]);
    });

    it('treats a connection as expired from its expiry instant on', async function () {
      await repository.save(connection('edge', 'edge', HOUR_MS));
      clock.advance(HOUR_MS - 1000);
      expect(await repository.get(id('edge'))).to.not.equal(undefined);
      clock.advance(1000);
      expect(await repository.get(id('edge'))).to.equal(undefined);
      expect((await allOfRoom('edge')).ids).to.deep.equal([]);
    });

    if (capabilities.checksCursors) {
      it('rejects a cursor it did not issue, or one of another room', async function () {
        for (const name of ['c0', 'c1', 'c2']) await repository.save(connection(name, 'cursor'));
        const { nextCursor } = await repository.findByRoom(room('cursor'), { limit: 1 });
        expect(nextCursor).to.be.a('string');
        for (const [cursor, target] of [
          ['not-a-cursor', 'cursor'],
          ['not-base64-json', 'cursor'],
          [nextCursor ?? '', 'elsewhere'],
        ] as const) {
          const error = await repository.findByRoom(room(target), { cursor }).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error, `cursor ${cursor} for ${target}`).to.be.instanceOf(ValidationError);
        }
      });
    }
  });
}
