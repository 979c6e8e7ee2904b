import type { Container } from 'inversify';
import { RUN_TOKENS } from '../../src/application/runs/tokens.js';
import type { PartitionRunner } from '../../src/application/runs/PartitionRunner.js';
import { composeNotifications } from '../../src/entrypoints/di/composeNotifications.js';

/** What the handler factories take, from a test's container: every use case, the logger and the `@connections` endpoint. */
export function handlerDeps(container: Container) {
  const notifications = composeNotifications(container);
  return {
    ...notifications,
    endpoint: notifications.connectionsEndpoint,
    get partitionRunner(): PartitionRunner {
      return container.get<PartitionRunner>(RUN_TOKENS.PartitionRunner);
    },
  };
}
