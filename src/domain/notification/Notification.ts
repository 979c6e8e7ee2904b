import type { RoomId } from '../connection/RoomId.js';
import type { UserId } from '../connection/UserId.js';
import { isJsonObject, type JsonValue } from '../shared/Json.js';
import { ValidationError } from '../shared/ValidationError.js';
import { NotificationTooLargeError } from './NotificationTooLargeError.js';
import { type RoomPosition, stampPosition } from './RoomPosition.js';

/** API Gateway refuses WebSocket messages over 128 KB. */
export const MAX_NOTIFICATION_BYTES = 128 * 1024;
export const DEFAULT_NOTIFICATION_TYPE = 'message';
const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_\-.]{0,63}$/;

export interface NotificationProps {
  readonly id: string;
  readonly type: string;
  readonly roomId: RoomId;
  readonly senderUserId?: UserId | undefined;
  readonly data: JsonValue;
  readonly sentAt: Date;
}

/** What a client receives, exactly as serialized on the wire. */
export interface NotificationWireFormat {
  readonly id: string;
  readonly type: string;
  readonly room_id: string;
  readonly user_id: string | null;
  readonly sent_at: string;
  readonly data: JsonValue;
}

/** One message for every connection of a room. Immutable; its wire form is computed once. */
export class Notification {
  readonly id: string;
  readonly type: string;
  readonly roomId: RoomId;
  readonly senderUserId: UserId | undefined;
  readonly data: JsonValue;
  readonly sentAt: Date;
  /** What every connection receives: with `seq` and `epoch` once {@link withPosition} numbered it. */
  readonly wire: string;
  /** Where the room's history put it; undefined for ephemeral notifications (presence events). */
  readonly position: RoomPosition | undefined;

  /** The wire form without `seq`/`epoch`: what the room's history keeps. */
  readonly unnumberedWire: string;

  private constructor(props: NotificationProps, wire: string, position?: RoomPosition, unnumberedWire = wire) {
    this.id = props.id;
    this.type = props.type;
    this.roomId = props.roomId;
    this.senderUserId = props.senderUserId;
    this.data = props.data;
    this.sentAt = new Date(props.sentAt.getTime());
    this.wire = wire;
    this.position = position;
    this.unnumberedWire = unnumberedWire;
  }

  /** The same notification numbered by its room's history: its wire form gains `seq` and `epoch`. */
  withPosition(position: RoomPosition): Notification {
    const props: NotificationProps = {
      id: this.id,
      type: this.type,
      roomId: this.roomId,
      senderUserId: this.senderUserId,
      data: this.data,
      sentAt: this.sentAt,
    };
    return new Notification(props, stampPosition(this.unnumberedWire, position), position, this.unnumberedWire);
  }

  static create(props: NotificationProps): Notification {
    if (!TYPE_PATTERN.test(props.type)) {
      throw new ValidationError('type', `must match ${TYPE_PATTERN.source}`);
    }
    if (props.id.length === 0 || props.id.length > 128) {
      throw new ValidationError('id', 'must be 1 to 128 characters');
    }
    if (Number.isNaN(props.sentAt.getTime())) throw new ValidationError('sent_at', 'must be a valid date');
    const wireFormat: NotificationWireFormat = {
      id: props.id,
      type: props.type,
      room_id: props.roomId.value,
      user_id: props.senderUserId?.value ?? null,
      sent_at: props.sentAt.toISOString(),
      data: props.data,
    };
    let wire: string;
    try {
      wire = JSON.stringify(wireFormat);
    } catch {
      throw new ValidationError('data', 'must be JSON-serializable');
    }
    const size = Buffer.byteLength(wire, 'utf8');
    if (size > MAX_NOTIFICATION_BYTES) throw new NotificationTooLargeError(size, MAX_NOTIFICATION_BYTES);
    return new Notification(props, wire);
  }

  /**
   * The seed's clients put the type inside the payload (`data: {type: "info", data: ...}`), so a
   * message without an explicit type takes it from there.
   */
  static inferType(explicitType: unknown, data: JsonValue): string {
    if (typeof explicitType === 'string' && explicitType.length > 0) return explicitType;
    if (isJsonObject(data) && typeof data['type'] === 'string' && TYPE_PATTERN.test(data['type'])) {
      return data['type'];
    }
    return DEFAULT_NOTIFICATION_TYPE;
  }
}
