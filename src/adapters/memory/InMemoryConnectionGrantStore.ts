import type { ConnectionGrant } from '../../domain/connection/ConnectionGrant.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { UserId } from '../../domain/connection/UserId.js';
import type { ConnectionGrantStore } from '../../application/notifications/ports/ConnectionGrantStore.js';

/** Grants in process memory. Expired grants are kept: the authorizer decides what expiry means. */
export class InMemoryConnectionGrantStore implements ConnectionGrantStore {
  private readonly grants = new Map<string, ConnectionGrant>();

  async put(grant: ConnectionGrant): Promise<void> {
    this.grants.set(key(grant.userId, grant.roomId), grant);
  }

  async get(userId: UserId, roomId: RoomId): Promise<ConnectionGrant | undefined> {
    return this.grants.get(key(userId, roomId));
  }

  async revoke(userId: UserId, roomId: RoomId): Promise<void> {
    this.grants.delete(key(userId, roomId));
  }
}

function key(userId: UserId, roomId: RoomId): string {
  return JSON.stringify([userId.value, roomId.value]);
}
