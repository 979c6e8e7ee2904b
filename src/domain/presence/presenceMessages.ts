import type { RoomId } from '../connection/RoomId.js';
import type { UserId } from '../connection/UserId.js';
import { Notification } from '../notification/Notification.js';
import type { PresenceMember } from './PresenceMember.js';

export const PRESENCE_JOIN = 'presence.join';
export const PRESENCE_LEAVE = 'presence.leave';

/** One user of the `presence` reply and of `GET /{stage}/rooms/{room_id}/presence`. */
export interface PresenceUserWire {
  readonly user_id: string;
  readonly connections: number;
  readonly connected_at: string;
}

/** `{"type":"presence","room_id":...,"users":[...]}`. */
export interface PresenceWire {
  readonly type: 'presence';
  readonly room_id: string;
  readonly users: readonly PresenceUserWire[];
}

export function presenceWire(roomId: RoomId, members: readonly PresenceMember[]): PresenceWire {
  return {
    type: 'presence',
    room_id: roomId.value,
    users: members.map((member) => ({
      user_id: member.userId.value,
      connections: member.connections,
      connected_at: member.connectedAt.toISOString(),
    })),
  };
}

/**
 * `presence.join` / `presence.leave`: an ordinary envelope whose `user_id` is the user who came or
 * went. Ephemeral: never numbered nor kept in history (a resume replays what was said, not who came).
 */
export function presenceEvent(
  kind: typeof PRESENCE_JOIN | typeof PRESENCE_LEAVE,
  props: {
    readonly id: string;
    readonly roomId: RoomId;
    readonly userId: UserId;
    readonly at: Date;
  },
): Notification {
  return Notification.create({ id: props.id, type: kind, roomId: props.roomId, senderUserId: props.userId, data: null, sentAt: props.at });
}
