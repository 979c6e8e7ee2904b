import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { ConnectionRepository } from '../../src/application/notifications/ports/ConnectionRepository.js';
import type { RoomPresence } from '../../src/application/notifications/ports/RoomPresence.js';
import { Connection } from '../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../src/domain/connection/RoomId.js';
import { UserId } from '../../src/domain/connection/UserId.js';
import type { ManualClock } from '../support/ManualClock.js';

export interface RoomPresenceFixture {
  readonly presence: RoomPresence;
  /** The connection store of the same profile: the use cases save before `connected`, delete before `disconnected`. */
  readonly connections: ConnectionRepository;
  readonly clock: ManualClock;
}

/** What every RoomPresence must do (memory, DynamoDB's room index, Redis), driven as the use cases drive it. */
export function roomPresenceContract(name: string, setup: () => Promise<RoomPresenceFixture>): void {
  describe(`${name} honours the RoomPresence contract`, function () {
    let fixture: RoomPresenceFixture;
    let prefix: string;
    beforeEach(async () => {
      fixture = await setup();
      prefix = randomBytes(4).toString('hex');
    });
    const room = (label: string): RoomId => RoomId.of(`${prefix}-${label}`);
    let count = 0;
    const connection = (user: string, roomLabel = 'r', at = fixture.clock.now()): Connection =>
      Connection.open({
        connectionId: ConnectionId.of(`${prefix}-c${(count += 1)}`),
        roomId: room(roomLabel),
        userId: UserId.of(user),
        connectedAt: at,
      });
    const open = async (c: Connection): Promise<boolean> => {
      await fixture.connections.save(c);
      return fixture.presence.connected(c);
    };
    const close = async (...gone: Connection[]) => {
      await fixture.connections.deleteMany(gone.map((c) => c.connectionId));
      return fixture.presence.disconnected(gone);
    };
    const members = async (label = 'r') =>
      (await fixture.presence.members(room(label))).map((m) => ({
        user: m.userId.value,
        connections: m.connections,
        at: m.connectedAt.getTime(),
      }));

    it("says a user joined with their first connection of a room only, and lists each user once with their earliest connection's time", async function () {
      const t0 = fixture.clock.now();
      const alice1 = connection('alice', 'r', t0);
      expect(await open(alice1)).to.equal(true);
      fixture.clock.advance(1_000);
      expect(await open(connection('alice'))).to.equal(false);
      expect(await open(connection('bob'))).to.equal(true);
      expect(await open(connection('alice', 'elsewhere'))).to.equal(true);
      expect(await members()).to.deep.equal([
        { user: 'alice', connections: 2, at: t0.getTime() },
        { user: 'bob', connections: 1, at: t0.getTime() + 1_000 },
      ]);
      expect(await members('elsewhere')).to.have.length(1);
      expect(await members('empty')).to.deep.equal([]);
    });

    it('says a user left when their last connection of the room goes, once, whether one at a time or in a batch', async function () {
      const [a1, a2, b1, c1, c2] = [connection('alice'), connection('alice'), connection('bob'), connection('carol'), connection('carol')];
      for (const c of [a1, a2, b1, c1, c2]) await open(c);
      expect(await close(a1)).to.deep.equal([]);
      const left = await close(a2, b1, c1);
      expect(left.map((d) => [d.roomId.value, d.userId.value]).sort()).to.deep.equal([
        [room('r').value, 'alice'],
        [room('r').value, 'bob'],
      ]);
      expect(await members()).to.deep.equal([{ user: 'carol', connections: 1, at: c2.connectedAt.getTime() }]);
      expect((await close(c2)).map((d) => d.userId.value)).to.deep.equal(['carol']);
      expect(await members()).to.deep.equal([]);
    });

    it('lists no connection past its expiry', async function () {
      await open(
        Connection.open(
          {
            connectionId: ConnectionId.of(`${prefix}-short`),
            roomId: room('r'),
            userId: UserId.of('dana'),
            connectedAt: fixture.clock.now(),
          },
          60_000,
        ),
      );
      expect(await members()).to.have.length(1);
      fixture.clock.advance(61_000);
      expect(await members()).to.deep.equal([]);
    });
  });
}
