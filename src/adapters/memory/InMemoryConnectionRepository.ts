import type { Connection } from '../../domain/connection/Connection.js';
import type { ConnectionId } from '../../domain/connection/ConnectionId.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type {
  ConnectionPage,
  ConnectionPageRequest,
  ConnectionRepository,
} from '../../application/notifications/ports/ConnectionRepository.js';
import type { Clock } from '../../application/shared/ports/Clock.js';

interface Entry {
  readonly connection: Connection;
  /** Insertion sequence: rooms are paged in this order and cursors name the last one returned. */
  readonly seq: number;
}

const DEFAULT_PAGE = 100;

/** Connections in process memory, indexed by room. For the `memory` profile and tests. */
export class InMemoryConnectionRepository implements ConnectionRepository {
  private readonly byId = new Map<string, Entry>();
  private readonly byRoom = new Map<string, Map<string, Entry>>();
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  async save(connection: Connection): Promise<void> {
    this.remove(connection.connectionId.value);
    const entry: Entry = { connection, seq: ++this.seq };
    this.byId.set(connection.connectionId.value, entry);
    let room = this.byRoom.get(connection.roomId.value);
    if (!room) {
      room = new Map();
      this.byRoom.set(connection.roomId.value, room);
    }
    room.set(connection.connectionId.value, entry);
  }

  async get(connectionId: ConnectionId): Promise<Connection | undefined> {
    const entry = this.byId.get(connectionId.value);
    return entry && !entry.connection.isExpiredAt(this.clock.now()) ? entry.connection : undefined;
  }

  async delete(connectionId: ConnectionId): Promise<void> {
    this.remove(connectionId.value);
  }

  async deleteMany(connectionIds: readonly ConnectionId[]): Promise<void> {
    for (const id of connectionIds) this.remove(id.value);
  }

  async findByRoom(roomId: RoomId, page: ConnectionPageRequest = {}): Promise<ConnectionPage> {
    const limit = Math.max(1, page.limit ?? DEFAULT_PAGE);
    const after = page.cursor === undefined ? 0 : Number.parseInt(page.cursor, 10);
    const now = this.clock.now();
    const items: Connection[] = [];
    let lastSeq = after;
    for (const entry of this.byRoom.get(roomId.value)?.values() ?? []) {
      if (entry.seq <= after) continue;
      if (items.length === limit) return { items, nextCursor: String(lastSeq) };
      lastSeq = entry.seq;
      if (!entry.connection.isExpiredAt(now)) items.push(entry.connection);
    }
    return { items };
  }

  /** Number of stored connections, expired ones included. */
  get size(): number {
    return this.byId.size;
  }

  private remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    const room = this.byRoom.get(entry.connection.roomId.value);
    room?.delete(id);
    if (room?.size === 0) this.byRoom.delete(entry.connection.roomId.value);
  }
}
