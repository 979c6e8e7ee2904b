import type { RoomPresence } from '../../application/notifications/ports/RoomPresence.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { Connection } from '../../domain/connection/Connection.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { PresenceDeparture, PresenceMember } from '../../domain/presence/PresenceMember.js';

/** user id → (connection id → connection). */
type RoomMembers = Map<string, Map<string, Connection>>;

/**
 * Presence in process memory (`memory` profile): each room's users and their connections, changed
 * as connections are stored and forgotten. Forgetting a connection twice (a broadcast's 410, then
 * `$disconnect`) announces one departure.
 */
export class InMemoryRoomPresence implements RoomPresence {
  private readonly rooms = new Map<string, RoomMembers>();

  constructor(private readonly clock: Clock) {}

  async connected(connection: Connection): Promise<boolean> {
    let room = this.rooms.get(connection.roomId.value);
    if (!room) {
      room = new Map();
      this.rooms.set(connection.roomId.value, room);
    }
    let connections = room.get(connection.userId.value);
    if (!connections) {
      connections = new Map();
      room.set(connection.userId.value, connections);
    }
    connections.set(connection.connectionId.value, connection);
    return connections.size === 1;
  }

  async disconnected(gone: readonly Connection[]): Promise<readonly PresenceDeparture[]> {
    const departures: PresenceDeparture[] = [];
    for (const connection of gone) {
      const room = this.rooms.get(connection.roomId.value);
      const connections = room?.get(connection.userId.value);
      if (!room || !connections?.delete(connection.connectionId.value) || connections.size > 0) continue;
      room.delete(connection.userId.value);
      if (room.size === 0) this.rooms.delete(connection.roomId.value);
      departures.push({ roomId: connection.roomId, userId: connection.userId });
    }
    return departures;
  }

  async members(roomId: RoomId): Promise<readonly PresenceMember[]> {
    const room = this.rooms.get(roomId.value);
    if (!room) return [];
    const now = this.clock.now();
    return [...room.values()]
      .map((connections) => [...connections.values()].filter((connection) => !connection.isExpiredAt(now)))
      .filter((live) => live.length > 0)
      .map(membership)
      .sort((a, b) => (a.userId.value < b.userId.value ? -1 : a.userId.value > b.userId.value ? 1 : 0));
  }
}

/** One user's entry from their live connections (at least one). */
export function membership(connections: readonly Connection[]): PresenceMember {
  const first = connections.reduce((earliest, connection) => (connection.connectedAt < earliest.connectedAt ? connection : earliest));
  return { userId: first.userId, connections: connections.length, connectedAt: first.connectedAt };
}
