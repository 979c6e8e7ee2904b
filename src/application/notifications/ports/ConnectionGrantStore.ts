import type { ConnectionGrant } from '../../../domain/connection/ConnectionGrant.js';
import type { RoomId } from '../../../domain/connection/RoomId.js';
import type { UserId } from '../../../domain/connection/UserId.js';

/** The per-(user, room) bcrypt hash of the last connection token issued (the seed's auth table). */
export interface ConnectionGrantStore {
  /** Replaces any earlier grant of the same user and room. */
  put(grant: ConnectionGrant): Promise<void>;
  get(userId: UserId, roomId: RoomId): Promise<ConnectionGrant | undefined>;
  /** Idempotent. */
  revoke(userId: UserId, roomId: RoomId): Promise<void>;
}
