import { inject, injectable } from 'inversify';
import type { Connection } from '../../../domain/connection/Connection.js';
import type { Notification } from '../../../domain/notification/Notification.js';
import { PRESENCE_JOIN, PRESENCE_LEAVE, presenceEvent } from '../../../domain/presence/presenceMessages.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { IdGenerator } from '../../shared/ports/IdGenerator.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationSettings } from '../NotificationSettings.js';
import type { RoomPresence } from '../ports/RoomPresence.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

/**
 * Keeps the room presence up to date as connections come and go, and says which `presence.join` /
 * `presence.leave` notifications that calls for (none when HERMES_PRESENCE_EVENTS=false).
 */
@injectable()
export class PresenceEvents {
  constructor(
    @inject(NOTIFICATION_TOKENS.RoomPresence) private readonly presence: RoomPresence,
    @inject(SHARED_TOKENS.IdGenerator) private readonly ids: IdGenerator,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.Settings) private readonly settings: NotificationSettings,
  ) {}

  /** After a connection was stored: the `presence.join` to announce, if it is the user's first in the room. */
  async connected(connection: Connection): Promise<Notification | undefined> {
    const joined = await this.presence.connected(connection);
    if (!joined || !this.settings.presenceEvents) return undefined;
    return presenceEvent(PRESENCE_JOIN, {
      id: this.ids.next(),
      roomId: connection.roomId,
      userId: connection.userId,
      at: this.clock.now(),
    });
  }

  /** After connections were forgotten ($disconnect, or found gone by a broadcast): one `presence.leave` per user left with none. */
  async disconnected(connections: readonly Connection[]): Promise<Notification[]> {
    if (connections.length === 0) return [];
    const departures = await this.presence.disconnected(connections);
    if (!this.settings.presenceEvents) return [];
    const at = this.clock.now();
    return departures.map((departure) =>
      presenceEvent(PRESENCE_LEAVE, { id: this.ids.next(), roomId: departure.roomId, userId: departure.userId, at }),
    );
  }
}
