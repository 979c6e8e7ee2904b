import type { Notification } from '../../../domain/notification/Notification.js';

/** Hands notifications to asynchronous delivery (SQS on AWS). */
export interface NotificationQueue {
  /** Resolves once the queue has durably accepted the notification. */
  publish(notification: Notification): Promise<void>;
}
