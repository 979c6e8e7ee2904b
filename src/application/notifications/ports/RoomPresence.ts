import type { Connection } from '../../../domain/connection/Connection.js';
import type { RoomId } from '../../../domain/connection/RoomId.js';
import type { PresenceDeparture, PresenceMember } from '../../../domain/presence/PresenceMember.js';

/**
 * Who is in a room. Adapters may derive it from the connection store (DynamoDB: the connections
 * table's room index) or keep their own counts (Redis: one hash per room, changed atomically); the
 * use cases call `connected` after a connection is stored and `disconnected` after connections are
 * forgotten, so either works.
 */
export interface RoomPresence {
  /**
   * Records a stored connection; true when the user had no other live connection in its room (the
   * user just joined). Connections other than the given one decide, so a lagging index cannot hide a join.
   */
  connected(connection: Connection): Promise<boolean>;
  /**
   * Records forgotten connections (any rooms); resolves the users among them left with no live
   * connection in that room, each (room, user) once. The given connections never count as live.
   */
  disconnected(connections: readonly Connection[]): Promise<readonly PresenceDeparture[]>;
  /** One member per user with a live connection in the room, in a stable order (by user id). */
  members(roomId: RoomId): Promise<readonly PresenceMember[]>;
}
