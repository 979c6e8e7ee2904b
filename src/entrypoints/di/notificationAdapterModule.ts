import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { Clock } from '../../application/shared/ports/Clock.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import { InMemoryConnectionGrantStore } from '../../adapters/memory/InMemoryConnectionGrantStore.js';
import { InMemoryConnectionRepository } from '../../adapters/memory/InMemoryConnectionRepository.js';
import { InMemoryNotificationQueue } from '../../adapters/memory/InMemoryNotificationQueue.js';
import { InProcessConnectionNotifier } from '../../adapters/memory/InProcessConnectionNotifier.js';
import { LocalConnectionRegistry } from '../../adapters/memory/LocalConnectionRegistry.js';
import type { AdapterChoices, CoreConfig } from '../config/coreConfig.js';
import { bindApiGatewayNotifier, bindConnectionsEndpoint } from './apiGatewayNotifier.js';
import { AWS_NOTIFICATION_ADAPTERS } from './awsBindings.js';
import { ENTRYPOINT_TOKENS } from './tokens.js';

type Bind = ContainerModuleLoadOptions['bind'];
type AdapterBindings = { [Port in keyof AdapterChoices]: Record<AdapterChoices[Port], (bind: Bind) => void> };

/** For each swappable port, how each of its adapters is bound. */
const ADAPTERS: AdapterBindings = {
  connectionStore: {
    memory: (bind) =>
      bind(NOTIFICATION_TOKENS.ConnectionRepository).toDynamicValue(
        (ctx) => new InMemoryConnectionRepository(ctx.get<Clock>(SHARED_TOKENS.Clock)),
      ),
    dynamodb: AWS_NOTIFICATION_ADAPTERS.connectionStore,
  },
  grantStore: {
    memory: (bind) => bind(NOTIFICATION_TOKENS.ConnectionGrantStore).toConstantValue(new InMemoryConnectionGrantStore()),
    dynamodb: AWS_NOTIFICATION_ADAPTERS.grantStore,
  },
  notifier: {
    inprocess: (bind) =>
      bind(NOTIFICATION_TOKENS.ConnectionNotifier).toDynamicValue(
        (ctx) => new InProcessConnectionNotifier(ctx.get<LocalConnectionRegistry>(ENTRYPOINT_TOKENS.LocalConnectionRegistry)),
      ),
    apigateway: bindApiGatewayNotifier,
  },
  queue: {
    memory: (bind) => {
      bind(ENTRYPOINT_TOKENS.InMemoryNotificationQueue).toConstantValue(new InMemoryNotificationQueue());
      bind(NOTIFICATION_TOKENS.NotificationQueue).toService(ENTRYPOINT_TOKENS.InMemoryNotificationQueue);
    },
    sqs: AWS_NOTIFICATION_ADAPTERS.queue,
  },
};

/** Binds the adapter chosen for each port (profile default, or its `HERMES_*` variable). */
export function notificationAdapterModule(core: CoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ENTRYPOINT_TOKENS.LocalConnectionRegistry).toConstantValue(new LocalConnectionRegistry());
    bindConnectionsEndpoint(bind);
    ADAPTERS.connectionStore[core.adapters.connectionStore](bind);
    ADAPTERS.grantStore[core.adapters.grantStore](bind);
    ADAPTERS.notifier[core.adapters.notifier](bind);
    ADAPTERS.queue[core.adapters.queue](bind);
  });
}
