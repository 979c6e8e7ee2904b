import { expect } from 'chai';
import type { ConnectionPage, ConnectionRepository } from '../../src/application/notifications/ports/ConnectionRepository.js';
import { Connection } from '../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../src/domain/connection/RoomId.js';
import { UserId } from '../../src/domain/connection/UserId.js';
import { ManualClock } from '../support/ManualClock.js';

/** A store under test, for the contract and the adapters' own tests. */
export interface ConnectionRepositoryFixture {
  readonly repository: ConnectionRepository;
  /** The clock the repository judges expiry by. */
  readonly clock: ManualClock;
}

/** Now, to the whole second: some stores keep expiries in epoch seconds (DynamoDB TTL). */
export function wholeSecondNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

/** Every page of a room, following the cursors to the last page. */
export interface RoomPages {
  readonly pages: readonly ConnectionPage[];
  /** The connection ids of all the pages, in order. */
  readonly ids: string[];
}

/** Reads a room page by page (`limit` items at most each, the store's default without it) to the last page. */
export async function pagesOfRoom(repository: ConnectionRepository, roomId: RoomId, limit?: number): Promise<RoomPages> {
  const pages: ConnectionPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.findByRoom(roomId, { ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
    expect(pages.length, 'pagination must end').to.be.below(1_000);
  } while (cursor);
  return { ids: pages.flatMap((page) => page.items.map((item) => item.connectionId.value)), pages };
}

/** A clock at now, to the whole second. */
export function freshClock(): ManualClock {
  return new ManualClock(wholeSecondNow());
}

/** The fixture of a store made on a fresh clock (now, to the whole second). */
export function onFreshClock(repositoryOn: (clock: ManualClock) => ConnectionRepository): () => Promise<ConnectionRepositoryFixture> {
  return async () => {
    const clock = freshClock();
    return { repository: repositoryOn(clock), clock };
  };
}

/** A connection of `user-<id>` opened now, with the default lifetime. */
export function openConnection(clock: ManualClock, id: string, room: string): Connection {
  return Connection.open({
    connectionId: ConnectionId.of(id),
    roomId: RoomId.of(room),
    userId: UserId.of(`user-${id}`),
    connectedAt: clock.now(),
  });
}

/** Saves `count` connections of `room` (ids `<room>-c000` on, in their sorted order); returns their ids. */
export async function savedRoom(repository: ConnectionRepository, clock: ManualClock, room: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${room}-c${String(i).padStart(3, '0')}`);
  await Promise.all(ids.map((id) => repository.save(openConnection(clock, id, room))));
  return ids;
}
