import { inject, injectable } from 'inversify';
import type { Notification } from '../../../domain/notification/Notification.js';
import type { RoomHistory } from '../ports/RoomHistory.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

/** Numbers a notification in its room's history (and keeps it there) before it is broadcast. */
@injectable()
export class HistoryRecorder {
  constructor(@inject(NOTIFICATION_TOKENS.RoomHistory) private readonly history: RoomHistory) {}

  /** The notification with its `seq` and `epoch`; rejects when the history cannot be written (the delivery is retried). */
  async record(notification: Notification): Promise<Notification> {
    const position = await this.history.append(notification.roomId, notification.unnumberedWire);
    return notification.withPosition(position);
  }
}
