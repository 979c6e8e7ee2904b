import type { RoomId } from './RoomId.js';
import type { UserId } from './UserId.js';

/**
 * The right of one user to connect to one room: the bcrypt hash of the connection token that was
 * issued (the seed's auth table row). Only the hash is ever stored.
 */
export interface ConnectionGrant {
  readonly userId: UserId;
  readonly roomId: RoomId;
  readonly tokenHash: string;
  readonly expiresAt: Date;
}
