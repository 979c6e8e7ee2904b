import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { ConnectionGrantStore } from '../../src/application/notifications/ports/ConnectionGrantStore.js';
import type { ConnectionGrant } from '../../src/domain/connection/ConnectionGrant.js';
import { RoomId } from '../../src/domain/connection/RoomId.js';
import { UserId } from '../../src/domain/connection/UserId.js';

const HOUR_MS = 3600 * 1000;
const HASH_A = '$2b$04$abcdefghijklmnopqrstuu5GzvBm3TNk2.2Y3Bq9.d7UCVlBdDOPe';
const HASH_B = '$2b$04$zyxwvutsrqponmlkjihgfeqJ6HnJjNYpBMBPEwXWmNUdKlF7m3ZDC';

/**
 * What every ConnectionGrantStore must do. `setup` runs before each test; tests use their own
 * random ids, so a fixture may share one store between tests.
 */
export function connectionGrantStoreContract(name: string, setup: () => Promise<ConnectionGrantStore>): void {
  describe(`${name} honours the ConnectionGrantStore contract`, function () {
    let store: ConnectionGrantStore;
    let prefix: string;
    // Whole seconds and in the future: stores may keep epoch-second TTLs and expire items on their own.
    const expiresAt = (): Date => new Date((Math.floor(Date.now() / 1000) + 3600) * 1000);

    beforeEach(async function () {
      store = await setup();
      prefix = randomBytes(4).toString('hex');
    });

    const user = (name: string): UserId => UserId.of(`${prefix}-${name}`);
    const room = (name: string): RoomId => RoomId.of(`${prefix}-${name}`);
    const grant = (userName: string, roomName: string, tokenHash = HASH_A, expiry = expiresAt()): ConnectionGrant => ({
      userId: user(userName),
      roomId: room(roomName),
      tokenHash,
      expiresAt: expiry,
    });
    const plain = (found: ConnectionGrant | undefined) =>
      found && {
        userId: found.userId.value,
        roomId: found.roomId.value,
        tokenHash: found.tokenHash,
        expiresAt: found.expiresAt.getTime(),
      };

    it('returns a stored grant as it was put', async function () {
      const stored = grant('alice', 'lobby');
      await store.put(stored);
      expect(plain(await store.get(user('alice'), room('lobby')))).to.deep.equal(plain(stored));
    });

    it('returns undefined for a user and room never granted', async function () {
      expect(await store.get(user('nobody'), room('lobby'))).to.equal(undefined);
    });

    it('replaces the earlier grant of the same user and room', async function () {
      await store.put(grant('alice', 'lobby', HASH_A));
      const later = grant('alice', 'lobby', HASH_B, new Date(expiresAt().getTime() + HOUR_MS));
      await store.put(later);
      expect(plain(await store.get(user('alice'), room('lobby')))).to.deep.equal(plain(later));
    });

    it('keeps grants of other rooms and other users apart', async function () {
      await store.put(grant('alice', 'lobby', HASH_A));
      await store.put(grant('alice', 'kitchen', HASH_B));
      await store.put(grant('bob', 'lobby', HASH_B));
      expect((await store.get(user('alice'), room('lobby')))?.tokenHash).to.equal(HASH_A);
      expect((await store.get(user('alice'), room('kitchen')))?.tokenHash).to.equal(HASH_B);
      expect((await store.get(user('bob'), room('lobby')))?.tokenHash).to.equal(HASH_B);
      expect(await store.get(user('bob'), room('kitchen'))).to.equal(undefined);
    });

    it('revokes a grant, idempotently, leaving the others', async function () {
      await store.put(grant('alice', 'lobby'));
      await store.put(grant('alice', 'kitchen'));
      await store.revoke(user('alice'), room('lobby'));
      await store.revoke(user('alice'), room('lobby'));
      await store.revoke(user('nobody'), room('nowhere'));
      expect(await store.get(user('alice'), room('lobby'))).to.equal(undefined);
      expect(await store.get(user('alice'), room('kitchen'))).to.not.equal(undefined);
    });
  });
}
