import { inject, injectable } from 'inversify';
import type { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import { type HistoryGap, parseEpoch, parseSince, recoverSince } from '../history/recoverSince.js';
import type { ConnectionNotifier } from '../ports/ConnectionNotifier.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';
import type { RoomHistory } from '../ports/RoomHistory.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import { type SenderContext, senderOf } from './senderOf.js';

export interface ResumeRoomInput {
  readonly connectionId: unknown;
  /** The authorizer context of the connection, when present. */
  readonly sender?: SenderContext | undefined;
  /** The last seq the client saw; absent: nothing is replayed, the client only learns the position. */
  readonly since?: unknown;
  /** The epoch that seq belongs to. */
  readonly epoch?: unknown;
}

export interface ResumeReport {
  readonly roomId: string;
  /** Notifications sent again. */
  readonly replayed: number;
  readonly gap: HistoryGap | undefined;
  readonly seq: number;
  readonly epoch: string | null;
}

/**
 * Route `resume`: sends the connection what its room said after `since` — a `gap` first when some of
 * it is lost — in seq order and as first sent, then `{"type":"resumed","room_id","seq","epoch"}`.
 * A message after connecting, never part of `$connect` (AWS refuses posts until `$connect` returns).
 */
@injectable()
export class ResumeRoom {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(NOTIFICATION_TOKENS.RoomHistory) private readonly history: RoomHistory,
    @inject(NOTIFICATION_TOKENS.ConnectionNotifier) private readonly notifier: ConnectionNotifier,
  ) {}

  async execute(input: ResumeRoomInput): Promise<ResumeReport> {
    const since = input.since === undefined || input.since === null ? undefined : parseSince(input.since);
    const epoch = parseEpoch(input.epoch);
    const sender = await senderOf(this.connections, input.connectionId, input.sender);
    const room = sender.roomId.value;
    // Without `since`, a first connection asks only where the room stands: nothing older is its business.
    const recovery =
      since === undefined
        ? { ...(await this.history.readSince(sender.roomId, Number.MAX_SAFE_INTEGER)), gap: undefined, envelopes: [] }
        : await recoverSince(this.history, sender.roomId, since, epoch);
    const position = recovery.position;
    const messages: string[] = [];
    if (recovery.gap) {
      messages.push(
        JSON.stringify({ type: 'gap', room_id: room, from: recovery.gap.from, to: recovery.gap.to, epoch: position?.epoch ?? null }),
      );
    }
    messages.push(...recovery.envelopes);
    messages.push(JSON.stringify({ type: 'resumed', room_id: room, seq: position?.seq ?? 0, epoch: position?.epoch ?? null }));
    await this.sendInOrder(sender.connectionId, messages);
    return {
      roomId: room,
      replayed: recovery.envelopes.length,
      gap: recovery.gap,
      seq: position?.seq ?? 0,
      epoch: position?.epoch ?? null,
    };
  }

  /** One at a time, so they arrive in order; a connection found gone ends it. */
  private async sendInOrder(connectionId: ConnectionId, messages: readonly string[]): Promise<void> {
    for (const message of messages) {
      const outcome = await this.notifier.send(connectionId, message);
      if (outcome.status === 'gone') return;
    }
  }
}
