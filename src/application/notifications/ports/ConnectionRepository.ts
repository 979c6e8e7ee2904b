import type { Connection } from '../../../domain/connection/Connection.js';
import type { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import type { RoomId } from '../../../domain/connection/RoomId.js';

export interface ConnectionPageRequest {
  /** Upper bound of items in the page; adapters may return fewer. */
  readonly limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface ConnectionPage {
  readonly items: readonly Connection[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Where live connections are kept, indexed by room. */
export interface ConnectionRepository {
  save(connection: Connection): Promise<void>;
  get(connectionId: ConnectionId): Promise<Connection | undefined>;
  /** Idempotent: deleting an unknown connection is not an error. */
  delete(connectionId: ConnectionId): Promise<void>;
  /** Idempotent batch delete, used to drop the connections found gone by a broadcast. */
  deleteMany(connectionIds: readonly ConnectionId[]): Promise<void>;
  /** One page of the room's unexpired connections, in a stable order. */
  findByRoom(roomId: RoomId, page?: ConnectionPageRequest): Promise<ConnectionPage>;
}
