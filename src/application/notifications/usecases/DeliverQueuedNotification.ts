import { inject, injectable } from 'inversify';
import { fromQueuedMessage } from '../../../domain/notification/QueuedNotificationMessage.js';
import type { Clock } from '../../shared/ports/Clock.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { HistoryRecorder } from '../history/HistoryRecorder.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastReport } from './BroadcastReport.js';
import type { BroadcastToRoom } from './BroadcastToRoom.js';

export interface QueuedMessageInput {
  readonly body: string;
  /** The queue's message id: the notification id of seed-format messages, stable across redeliveries. */
  readonly messageId: string;
}

/**
 * Numbers one queued notification in its room's history, then broadcasts it. Rejects when the
 * message is invalid or the room (or its history) cannot be read.
 */
@injectable()
export class DeliverQueuedNotification {
  constructor(
    @inject(NOTIFICATION_TOKENS.BroadcastToRoom) private readonly broadcast: BroadcastToRoom,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.HistoryRecorder) private readonly history: HistoryRecorder,
  ) {}

  async execute(message: QueuedMessageInput): Promise<BroadcastReport> {
    const notification = fromQueuedMessage(message.body, message.messageId, this.clock.now());
    return this.broadcast.execute(await this.history.record(notification));
  }
}
