import { inject, injectable } from 'inversify';
import type { Connection } from '../../../domain/connection/Connection.js';
import type { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import type { Notification } from '../../../domain/notification/Notification.js';
import { errorMessage } from '../../../domain/shared/HermesError.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { Logger } from '../../shared/ports/Logger.js';
import { runWithConcurrency } from '../../shared/runWithConcurrency.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationSettings } from '../NotificationSettings.js';
import type { ConnectionNotifier, DeliveryOutcome } from '../ports/ConnectionNotifier.js';
import type { ConnectionPage, ConnectionRepository } from '../ports/ConnectionRepository.js';
import type { PresenceEvents } from '../presence/PresenceEvents.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastReport } from './BroadcastReport.js';

export interface BroadcastOptions {
  /** A connection not to send to (the one whose `$connect` announces its user: AWS refuses posts to it then). */
  readonly except?: ConnectionId;
}

/**
 * Delivers one notification to every live connection of its room, page by page, with bounded
 * concurrency. A failing connection never fails the others; connections reported gone are deleted,
 * except those still within `connectingGraceSeconds` of their `connectedAt`: API Gateway answers 410
 * to a post whose connection has not finished `$connect` yet, and such a connection is about to open.
 */
const failedDelivery = (error: unknown): DeliveryOutcome => ({ status: 'failed', reason: errorMessage(error) });

@injectable()
export class BroadcastToRoom {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(NOTIFICATION_TOKENS.ConnectionNotifier) private readonly notifier: ConnectionNotifier,
    @inject(SHARED_TOKENS.Logger) private readonly logger: Logger,
    @inject(NOTIFICATION_TOKENS.Settings) private readonly settings: NotificationSettings,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.PresenceEvents) private readonly presence: PresenceEvents,
  ) {}

  async execute(notification: Notification, options: BroadcastOptions = {}): Promise<BroadcastReport> {
    const counts = { delivered: 0, gone: 0, failed: 0 };
    const gone: Connection[] = [];
    const except = options.except?.value;
    const limit = this.settings.broadcastPageSize;
    let pending: Promise<ConnectionPage> | undefined = this.connections.findByRoom(notification.roomId, { limit });
    const connectingSince = this.clock.now().getTime() - this.settings.connectingGraceSeconds * 1000;
    const record = (connection: Connection, outcome: DeliveryOutcome): void => {
      if (outcome.status === 'gone' && connection.connectedAt.getTime() < connectingSince) gone.push(connection);
      else if (outcome.status === 'failed') {
        this.logger.warn('delivery failed', {
          connectionId: connection.connectionId.value,
          roomId: notification.roomId.value,
          notificationId: notification.id,
          reason: outcome.reason,
        });
      }
      counts[outcome.status] += 1;
    };

    while (pending) {
      const page: ConnectionPage = await pending;
      // Fetch the next page while this one is being delivered.
      pending = page.nextCursor ? this.connections.findByRoom(notification.roomId, { limit, cursor: page.nextCursor }) : undefined;
      // Strings are immutable, so every recipient gets an unshareable copy of the same bytes.
      const recipients = except === undefined ? page.items : page.items.filter((item) => item.connectionId.value !== except);
      await runWithConcurrency(recipients, this.settings.broadcastConcurrency, (connection) => {
        const outcome = this.deliver(connection.connectionId, notification.wire);
        if (outcome instanceof Promise) return outcome.then((settled) => record(connection, settled));
        record(connection, outcome);
      });
    }

    if (await this.forgetGone(gone, notification)) await this.announceDepartures(gone);
    return counts;
  }

  /** Users whose last connection was found gone leave the room: `presence.leave` to whoever is still there. */
  private async announceDepartures(gone: readonly Connection[]): Promise<void> {
    try {
      for (const leave of await this.presence.disconnected(gone)) await this.execute(leave);
    } catch (error) {
      this.logger.warn('could not announce departures', { error: errorMessage(error) });
    }
  }

  /** The outcome, at once when the notifier knows it; a throw or a rejection becomes "failed". */
  private deliver(connectionId: ConnectionId, payload: string): DeliveryOutcome | Promise<DeliveryOutcome> {
    try {
      const outcome = this.notifier.send(connectionId, payload);
      return outcome instanceof Promise ? outcome.catch(failedDelivery) : outcome;
    } catch (error) {
      return failedDelivery(error);
    }
  }

  /** A failed cleanup loses nothing: the next broadcast finds the same connections gone again. True once deleted. */
  private async forgetGone(gone: readonly Connection[], notification: Notification): Promise<boolean> {
    if (gone.length === 0) return false;
    const goneIds = gone.map((connection) => connection.connectionId);
    try {
      await this.connections.deleteMany(goneIds);
      this.logger.info('deleted gone connections', { roomId: notification.roomId.value, count: goneIds.length });
      return true;
    } catch (error) {
      this.logger.error('could not delete gone connections', {
        roomId: notification.roomId.value,
        count: goneIds.length,
        error: errorMessage(error),
      });
      return false;
    }
  }
}
