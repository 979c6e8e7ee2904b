import { ContainerModule } from 'inversify';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import { connectionRepository } from './adapters/connectionStore.js';
import { connectionGrantStore } from './adapters/grantStore.js';
import { inMemoryNotificationQueue, notificationQueue } from './adapters/notificationQueue.js';
import { connectionNotifier, connectionsEndpoint, localConnectionRegistry } from './adapters/notifier.js';
import { roomHistory } from './adapters/roomHistory.js';
import { roomPresence } from './adapters/roomPresence.js';
import { ENTRYPOINT_TOKENS } from './tokens.js';
import type { Wiring } from './wiring.js';

/**
 * Binds the adapter chosen for each notification port (profile default, or its `HERMES_*` variable);
 * the choice itself is made by the adapter table of `di/adapters/*`, shared with the Lambda roots.
 */
export function notificationAdapterModule(wiring: Wiring): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ENTRYPOINT_TOKENS.LocalConnectionRegistry).toDynamicValue(() => localConnectionRegistry(wiring));
    bind(ENTRYPOINT_TOKENS.ConnectionsEndpoint).toDynamicValue(() => connectionsEndpoint(wiring));
    bind(ENTRYPOINT_TOKENS.InMemoryNotificationQueue).toDynamicValue(() => inMemoryNotificationQueue(wiring));
    bind(NOTIFICATION_TOKENS.ConnectionRepository).toDynamicValue(() => connectionRepository(wiring));
    bind(NOTIFICATION_TOKENS.ConnectionGrantStore).toDynamicValue(() => connectionGrantStore(wiring));
    bind(NOTIFICATION_TOKENS.ConnectionNotifier).toDynamicValue(() => connectionNotifier(wiring));
    bind(NOTIFICATION_TOKENS.NotificationQueue).toDynamicValue(() => notificationQueue(wiring));
    bind(NOTIFICATION_TOKENS.RoomHistory).toDynamicValue(() => roomHistory(wiring));
    bind(NOTIFICATION_TOKENS.RoomPresence).toDynamicValue(() => roomPresence(wiring));
  });
}
