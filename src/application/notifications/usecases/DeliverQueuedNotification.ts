import { inject, injectable } from 'inversify';
import { fromQueuedMessage } from '../../../domain/notification/QueuedNotificationMessage.js';
import type { Clock } from '../../shared/ports/Clock.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastReport } from './BroadcastReport.js';
import type { BroadcastToRoom } from './BroadcastToRoom.js';

export interface QueuedMessageInput {
  readonly body: string;
  /** The queue's message id: the notification id of seed-format messages, stable across redeliveries. */
  readonly messageId: string;
}

/** Broadcasts one queued notification. Rejects when the message is invalid or the room cannot be read. */
@injectable()
export class DeliverQueuedNotification {
  constructor(
    @inject(NOTIFICATION_TOKENS.BroadcastToRoom) private readonly broadcast: BroadcastToRoom,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(message: QueuedMessageInput): Promise<BroadcastReport> {
    return this.broadcast.execute(fromQueuedMessage(message.body, message.messageId, this.clock.now()));
  }
}
