import { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import { ConnectionNotFoundError } from '../../../domain/connection/ConnectionNotFoundError.js';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { UserId } from '../../../domain/connection/UserId.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';

/** Who sent a route message: the authorizer context API Gateway attaches to the connection, when present. */
export interface SenderContext {
  readonly roomId: unknown;
  readonly userId: unknown;
}

export interface ConnectionSender {
  readonly connectionId: ConnectionId;
  readonly roomId: RoomId;
  readonly userId: UserId;
}

/** Room and user of a connection: from its authorizer context, else from its stored record (never from a message body). */
export async function senderOf(
  connections: Pick<ConnectionRepository, 'get'>,
  rawConnectionId: unknown,
  sender: SenderContext | undefined,
): Promise<ConnectionSender> {
  const connectionId = ConnectionId.of(rawConnectionId);
  if (sender) return { connectionId, roomId: RoomId.of(sender.roomId), userId: UserId.of(sender.userId) };
  const connection = await connections.get(connectionId);
  if (!connection) throw new ConnectionNotFoundError(connectionId.value);
  return { connectionId, roomId: connection.roomId, userId: connection.userId };
}
