import { inject, injectable } from 'inversify';
import { type PresenceWire, presenceWire } from '../../../domain/presence/presenceMessages.js';
import type { ConnectionNotifier } from '../ports/ConnectionNotifier.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';
import type { RoomPresence } from '../ports/RoomPresence.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import { type SenderContext, senderOf } from './senderOf.js';

export interface ReplyPresenceInput {
  readonly connectionId: unknown;
  readonly sender?: SenderContext | undefined;
}

/** Route `presence`: sends the connection `{"type":"presence","room_id","users":[...]}` of its own room. */
@injectable()
export class ReplyPresence {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(NOTIFICATION_TOKENS.RoomPresence) private readonly presence: RoomPresence,
    @inject(NOTIFICATION_TOKENS.ConnectionNotifier) private readonly notifier: ConnectionNotifier,
  ) {}

  async execute(input: ReplyPresenceInput): Promise<PresenceWire> {
    const sender = await senderOf(this.connections, input.connectionId, input.sender);
    const reply = presenceWire(sender.roomId, await this.presence.members(sender.roomId));
    await this.notifier.send(sender.connectionId, JSON.stringify(reply));
    return reply;
  }
}
