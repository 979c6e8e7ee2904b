import { inject, injectable } from 'inversify';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { type PresenceWire, presenceWire } from '../../../domain/presence/presenceMessages.js';
import type { RoomPresence } from '../ports/RoomPresence.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

/** `GET /{stage}/rooms/{room_id}/presence`: who is in a room, one entry per user. */
@injectable()
export class GetRoomPresence {
  constructor(@inject(NOTIFICATION_TOKENS.RoomPresence) private readonly presence: RoomPresence) {}

  async execute(roomId: unknown): Promise<PresenceWire> {
    const room = RoomId.of(roomId);
    return presenceWire(room, await this.presence.members(room));
  }
}
