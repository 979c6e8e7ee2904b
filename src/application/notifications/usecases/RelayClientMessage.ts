import { inject, injectable } from 'inversify';
import { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import { ConnectionNotFoundError } from '../../../domain/connection/ConnectionNotFoundError.js';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { UserId } from '../../../domain/connection/UserId.js';
import { Notification } from '../../../domain/notification/Notification.js';
import type { JsonValue } from '../../../domain/shared/Json.js';
import { ValidationError } from '../../../domain/shared/ValidationError.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { IdGenerator } from '../../shared/ports/IdGenerator.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';
import type { HistoryRecorder } from '../history/HistoryRecorder.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastReport } from './BroadcastReport.js';
import type { BroadcastToRoom } from './BroadcastToRoom.js';

export interface RelayClientMessageInput {
  readonly connectionId: unknown;
  /** The authorizer context API Gateway attaches to the sender's connection, when present. */
  readonly sender?: { readonly roomId: unknown; readonly userId: unknown } | undefined;
  readonly type?: unknown;
  readonly data: unknown;
}

/**
 * `sendMessage`: broadcasts a client's message to its own room. Room and user come from the
 * connection's authorizer context (or its stored record), never from the message body.
 */
@injectable()
export class RelayClientMessage {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(NOTIFICATION_TOKENS.BroadcastToRoom) private readonly broadcast: BroadcastToRoom,
    @inject(SHARED_TOKENS.IdGenerator) private readonly ids: IdGenerator,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.HistoryRecorder) private readonly history: HistoryRecorder,
  ) {}

  async execute(input: RelayClientMessageInput): Promise<BroadcastReport> {
    if (input.data === undefined) throw new ValidationError('data', 'is required');
    const data = input.data as JsonValue;
    const sender = await this.resolveSender(input);
    const notification = Notification.create({
      id: this.ids.next(),
      type: Notification.inferType(input.type, data),
      roomId: sender.roomId,
      senderUserId: sender.userId,
      data,
      sentAt: this.clock.now(),
    });
    return this.broadcast.execute(await this.history.record(notification));
  }

  private async resolveSender(input: RelayClientMessageInput): Promise<{ roomId: RoomId; userId: UserId }> {
    if (input.sender) return { roomId: RoomId.of(input.sender.roomId), userId: UserId.of(input.sender.userId) };
    const connectionId = ConnectionId.of(input.connectionId);
    const connection = await this.connections.get(connectionId);
    if (!connection) throw new ConnectionNotFoundError(connectionId.value);
    return { roomId: connection.roomId, userId: connection.userId };
  }
}
