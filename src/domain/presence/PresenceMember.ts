import type { RoomId } from '../connection/RoomId.js';
import type { UserId } from '../connection/UserId.js';

/** One user present in a room: at least one live connection. */
export interface PresenceMember {
  readonly userId: UserId;
  /** Live connections of the user in the room (≥ 1). */
  readonly connections: number;
  /** When the user's earliest live connection in the room opened. */
  readonly connectedAt: Date;
}

/** A user whose last connection to a room closed. */
export interface PresenceDeparture {
  readonly roomId: RoomId;
  readonly userId: UserId;
}
