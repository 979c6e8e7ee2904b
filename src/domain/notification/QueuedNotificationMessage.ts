import { RoomId } from '../connection/RoomId.js';
import { UserId } from '../connection/UserId.js';
import { isJsonObject, type JsonValue } from '../shared/Json.js';
import { ValidationError } from '../shared/ValidationError.js';
import { Notification } from './Notification.js';

/**
 * The body of a queued notification: the seed's `{user_id, room_id, data}`, plus the optional
 * `type`, `id` and `sent_at` hermes adds so a redelivery keeps its identity.
 */
export interface QueuedNotificationMessage {
  readonly room_id: string;
  readonly user_id?: string;
  readonly type?: string;
  readonly data: JsonValue;
  readonly id?: string;
  readonly sent_at?: string;
}

export function toQueuedMessage(notification: Notification): QueuedNotificationMessage {
  return {
    room_id: notification.roomId.value,
    ...(notification.senderUserId ? { user_id: notification.senderUserId.value } : {}),
    type: notification.type,
    data: notification.data,
    id: notification.id,
    sent_at: notification.sentAt.toISOString(),
  };
}

/** Parses a queue message body; `fallbackId`/`receivedAt` fill what a seed-format producer left out. */
export function fromQueuedMessage(body: string, fallbackId: string, receivedAt: Date): Notification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ValidationError('body', 'is not JSON');
  }
  if (!isJsonObject(parsed)) throw new ValidationError('body', 'must be a JSON object');
  if (!('data' in parsed)) throw new ValidationError('data', 'is required');
  const data = parsed['data'];
  const sentAtRaw = parsed['sent_at'];
  const sentAt = typeof sentAtRaw === 'string' ? new Date(sentAtRaw) : receivedAt;
  const userIdRaw = parsed['user_id'];
  const idRaw = parsed['id'];
  return Notification.create({
    id: typeof idRaw === 'string' && idRaw.length > 0 ? idRaw : fallbackId,
    type: Notification.inferType(parsed['type'], data),
    roomId: RoomId.of(parsed['room_id']),
    senderUserId: userIdRaw === undefined || userIdRaw === null ? undefined : UserId.of(userIdRaw),
    data,
    sentAt,
  });
}
