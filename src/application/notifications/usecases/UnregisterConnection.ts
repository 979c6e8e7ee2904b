import { inject, injectable } from 'inversify';
import { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';
import type { PresenceEvents } from '../presence/PresenceEvents.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastToRoom } from './BroadcastToRoom.js';

/**
 * `$disconnect`: forgets the connection; the user's last connection of the room leaving is announced
 * (`presence.leave`). Idempotent, since API Gateway may call it after a 410 cleanup.
 */
@injectable()
export class UnregisterConnection {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(NOTIFICATION_TOKENS.PresenceEvents) private readonly presence: PresenceEvents,
    @inject(NOTIFICATION_TOKENS.BroadcastToRoom) private readonly broadcast: Pick<BroadcastToRoom, 'execute'>,
  ) {}

  async execute(connectionId: unknown): Promise<void> {
    const id = ConnectionId.of(connectionId);
    const connection = await this.connections.get(id);
    await this.connections.delete(id);
    if (!connection) return;
    for (const leave of await this.presence.disconnected([connection])) await this.broadcast.execute(leave);
  }
}
