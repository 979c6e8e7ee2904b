import { inject, injectable } from 'inversify';
import type { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import type { Notification } from '../../../domain/notification/Notification.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { Logger } from '../../shared/ports/Logger.js';
import { runWithConcurrency } from '../../shared/runWithConcurrency.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationSettings } from '../NotificationSettings.js';
import type { ConnectionNotifier, DeliveryOutcome } from '../ports/ConnectionNotifier.js';
import type { ConnectionPage, ConnectionRepository } from '../ports/ConnectionRepository.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { BroadcastReport } from './BroadcastReport.js';

/**
 * Delivers one notification to every live connection of its room, page by page, with bounded
 * concurrency. A failing connection never fails the others; connections reported gone are deleted,
 * except those still within `connectingGraceSeconds` of their `connectedAt`: API Gateway answers 410
 * to a post whose connection has not finished `$connect` yet, and such a connection is about to open.
 */
@injectable()
export class BroadcastToRoom {
  constructor(
    @inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository,
    @inject(NOTIFICATION_TOKENS.ConnectionNotifier) private readonly notifier: ConnectionNotifier,
    @inject(SHARED_TOKENS.Logger) private readonly logger: Logger,
    @inject(NOTIFICATION_TOKENS.Settings) private readonly settings: NotificationSettings,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(notification: Notification): Promise<BroadcastReport> {
    const counts = { delivered: 0, gone: 0, failed: 0 };
    const goneIds: ConnectionId[] = [];
    const limit = this.settings.broadcastPageSize;
    let pending: Promise<ConnectionPage> | undefined = this.connections.findByRoom(notification.roomId, { limit });
    const connectingSince = this.clock.now().getTime() - this.settings.connectingGraceSeconds * 1000;

    while (pending) {
      const page: ConnectionPage = await pending;
      // Fetch the next page while this one is being delivered.
      pending = page.nextCursor ? this.connections.findByRoom(notification.roomId, { limit, cursor: page.nextCursor }) : undefined;
      // Strings are immutable, so every recipient gets an unshareable copy of the same bytes.
      await runWithConcurrency(page.items, this.settings.broadcastConcurrency, async (connection) => {
        const outcome = await this.deliver(connection.connectionId, notification.wire);
        if (outcome.status === 'gone' && connection.connectedAt.getTime() < connectingSince) goneIds.push(connection.connectionId);
        else if (outcome.status === 'failed') {
          this.logger.warn('delivery failed', {
            connectionId: connection.connectionId.value,
            roomId: notification.roomId.value,
            notificationId: notification.id,
            reason: outcome.reason,
          });
        }
        counts[outcome.status] += 1;
      });
    }

    await this.forgetGone(goneIds, notification);
    return counts;
  }

  private async deliver(connectionId: ConnectionId, payload: string): Promise<DeliveryOutcome> {
    try {
      return await this.notifier.send(connectionId, payload);
    } catch (error) {
      return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** A failed cleanup loses nothing: the next broadcast finds the same connections gone again. */
  private async forgetGone(goneIds: readonly ConnectionId[], notification: Notification): Promise<void> {
    if (goneIds.length === 0) return;
    try {
      await this.connections.deleteMany(goneIds);
      this.logger.info('deleted gone connections', { roomId: notification.roomId.value, count: goneIds.length });
    } catch (error) {
      this.logger.error('could not delete gone connections', {
        roomId: notification.roomId.value,
        count: goneIds.length,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
