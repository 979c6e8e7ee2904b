import type { Container } from 'inversify';
import { NOTIFICATION_TOKENS } from '../../../../src/application/notifications/tokens.js';
import type { ConnectionRepository } from '../../../../src/application/notifications/ports/ConnectionRepository.js';
import type { LocalConnectionRegistry } from '../../../../src/adapters/memory/LocalConnectionRegistry.js';
import { buildContainer } from '../../../../src/entrypoints/container.js';
import { ENTRYPOINT_TOKENS } from '../../../../src/entrypoints/di/tokens.js';
import { TEST_JWT_SECRET, TEST_PASSCODE } from '../../../support/notificationCore.js';

export interface LocalstackCore {
  readonly container: Container;
  readonly connections: ConnectionRepository;
  /** The in-process notifier's sockets: tests register FakeSinks here. */
  readonly registry: LocalConnectionRegistry;
}

/**
 * The `localstack` profile against the local services (DynamoDB Local, fauxqs), with the
 * in-process notifier so deliveries land in test sinks.
 */
export function localstackCore(env: Record<string, string>): LocalstackCore {
  const container = buildContainer('localstack', {
    env: { JWT_SECRET: TEST_JWT_SECRET, TOKEN_PASSCODE: TEST_PASSCODE, BCRYPT_COST: '4', HERMES_NOTIFIER: 'inprocess', ...env },
  });
  return {
    container,
    connections: container.get(NOTIFICATION_TOKENS.ConnectionRepository),
    registry: container.get(ENTRYPOINT_TOKENS.LocalConnectionRegistry),
  };
}
