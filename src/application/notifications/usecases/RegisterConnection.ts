import { inject, injectable } from 'inversify';
import { Connection } from '../../../domain/connection/Connection.js';
import { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { UserId } from '../../../domain/connection/UserId.js';
import type { Clock } from '../../shared/ports/Clock.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationSettings } from '../NotificationSettings.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';
import type { PresenceEvents } from '../presence/PresenceEvents.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastToRoom } from './BroadcastToRoom.js';

export interface RegisterConnectionInput {
  readonly connectionId: unknown;
  readonly roomId: unknown;
  readonly userId: unknown;
  /** When the gateway accepted the connection; defaults to now. */
  readonly connectedAt?: Date;
}

/**
 * `$connect`: remembers the connection under its room until the gateway's hard limit; the user's
 * first connection there is announced (`presence.join`) to the others of the room.
 */
@injectable()
export class RegisterConnection {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.Settings) private readonly settings: NotificationSettings,
    @inject(NOTIFICATION_TOKENS.PresenceEvents) private readonly presence: PresenceEvents,
    @inject(NOTIFICATION_TOKENS.BroadcastToRoom) private readonly broadcast: Pick<BroadcastToRoom, 'execute'>,
  ) {}

  async execute(input: RegisterConnectionInput): Promise<Connection> {
    const connection = Connection.open(
      {
        connectionId: ConnectionId.of(input.connectionId),
        roomId: RoomId.of(input.roomId),
        userId: UserId.of(input.userId),
        connectedAt: input.connectedAt ?? this.clock.now(),
      },
      this.settings.connectionLifetimeSeconds * 1000,
    );
    await this.connections.save(connection);
    const join = await this.presence.connected(connection);
    // AWS refuses posts to a connection whose $connect has not returned: the newcomer asks for `presence` instead.
    if (join) await this.broadcast.execute(join, { except: connection.connectionId });
    return connection;
  }
}
