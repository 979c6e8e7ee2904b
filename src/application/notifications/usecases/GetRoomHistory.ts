import { inject, injectable } from 'inversify';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { type Recovery, parseEpoch, parseSince, recoverSince } from '../history/recoverSince.js';
import type { RoomHistory } from '../ports/RoomHistory.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

export interface GetRoomHistoryInput {
  readonly roomId: unknown;
  /** Default 0: everything retained. */
  readonly since?: unknown;
  /** The epoch `since` belongs to; absent: the room's current one. */
  readonly epoch?: unknown;
}

/** `GET /{stage}/rooms/{room_id}/history?since=<seq>`: what a backend can read of a room's recent notifications. */
@injectable()
export class GetRoomHistory {
  constructor(@inject(NOTIFICATION_TOKENS.RoomHistory) private readonly history: RoomHistory) {}

  async execute(input: GetRoomHistoryInput): Promise<Recovery & { readonly roomId: RoomId }> {
    const roomId = RoomId.of(input.roomId);
    const since = input.since === undefined || input.since === '' ? 0 : parseSince(input.since);
    const recovery = await recoverSince(this.history, roomId, since, parseEpoch(input.epoch), true);
    return { ...recovery, roomId };
  }
}
