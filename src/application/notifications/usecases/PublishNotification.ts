import { inject, injectable } from 'inversify';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { UserId } from '../../../domain/connection/UserId.js';
import { Notification } from '../../../domain/notification/Notification.js';
import type { JsonValue } from '../../../domain/shared/Json.js';
import { ValidationError } from '../../../domain/shared/ValidationError.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { IdGenerator } from '../../shared/ports/IdGenerator.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationQueue } from '../ports/NotificationQueue.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

export interface PublishNotificationInput {
  readonly roomId: unknown;
  readonly userId?: unknown;
  readonly type?: unknown;
  readonly data: unknown;
}

export interface PublishedNotification {
  readonly id: string;
  readonly roomId: string;
  readonly type: string;
}

/** A backend's notification to a room, validated and queued for asynchronous delivery. */
@injectable()
export class PublishNotification {
  constructor(
    @inject(NOTIFICATION_TOKENS.NotificationQueue) private readonly queue: NotificationQueue,
    @inject(SHARED_TOKENS.IdGenerator) private readonly ids: IdGenerator,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(input: PublishNotificationInput): Promise<PublishedNotification> {
    if (input.data === undefined) throw new ValidationError('data', 'is required');
    if (input.type !== undefined && typeof input.type !== 'string') throw new ValidationError('type', 'must be a string');
    const data = input.data as JsonValue;
    const notification = Notification.create({
      id: this.ids.next(),
      type: Notification.inferType(input.type, data),
      roomId: RoomId.of(input.roomId),
      senderUserId: input.userId === undefined || input.userId === null ? undefined : UserId.of(input.userId),
      data,
      sentAt: this.clock.now(),
    });
    await this.queue.publish(notification);
    return { id: notification.id, roomId: notification.roomId.value, type: notification.type };
  }
}
