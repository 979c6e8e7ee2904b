import type { NotificationQueue } from '../../application/notifications/ports/NotificationQueue.js';
import type { Notification } from '../../domain/notification/Notification.js';
import { toQueuedMessage } from '../../domain/notification/QueuedNotificationMessage.js';
import type { RedisNotificationStream } from './RedisNotificationStream.js';

/** Publishes notifications to the Redis stream, in the body the SQS queue carries (`{room_id, user_id, type, data, id, sent_at}`). */
export class RedisNotificationQueue implements NotificationQueue {
  constructor(private readonly stream: RedisNotificationStream) {}

  async publish(notification: Notification): Promise<void> {
    await this.stream.publish(JSON.stringify(toQueuedMessage(notification)), { type: notification.type });
  }
}
