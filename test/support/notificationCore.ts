import type { Container } from 'inversify';
import type { ConnectionGrantStore } from '../../src/application/notifications/ports/ConnectionGrantStore.js';
import type { ConnectionRepository } from '../../src/application/notifications/ports/ConnectionRepository.js';
import { NOTIFICATION_TOKENS } from '../../src/application/notifications/tokens.js';
import { SHARED_TOKENS } from '../../src/application/shared/tokens.js';
import type { InMemoryNotificationQueue } from '../../src/adapters/memory/InMemoryNotificationQueue.js';
import type { LocalConnectionRegistry } from '../../src/adapters/memory/LocalConnectionRegistry.js';
import { buildContainer } from '../../src/entrypoints/container.js';
import { ENTRYPOINT_TOKENS } from '../../src/entrypoints/di/tokens.js';
import { ManualClock } from './ManualClock.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789abcdef';
export const TEST_PASSCODE = 'test-passcode-0123456789';

/**
 * The notification core on the `memory` profile, with a manual clock and cheap bcrypt. Presence
 * events are off unless `env` turns them on (HERMES_PRESENCE_EVENTS=true), so a test about something
 * else receives only what it sends.
 */
export interface NotificationCore {
  readonly container: Container;
  readonly clock: ManualClock;
  readonly connections: ConnectionRepository;
  readonly grants: ConnectionGrantStore;
  readonly registry: LocalConnectionRegistry;
  readonly queue: InMemoryNotificationQueue;
  get<T>(token: symbol): T;
}

export function notificationCore(env: Record<string, string> = {}, values: Array<[symbol, unknown]> = []): NotificationCore {
  const clock = new ManualClock(new Date());
  const container = buildContainer('memory', {
    env: { JWT_SECRET: TEST_JWT_SECRET, TOKEN_PASSCODE: TEST_PASSCODE, BCRYPT_COST: '4', HERMES_PRESENCE_EVENTS: 'false', ...env },
    values: [[SHARED_TOKENS.Clock, clock], ...values],
  });
  return {
    container,
    clock,
    connections: container.get(NOTIFICATION_TOKENS.ConnectionRepository),
    grants: container.get(NOTIFICATION_TOKENS.ConnectionGrantStore),
    registry: container.get(ENTRYPOINT_TOKENS.LocalConnectionRegistry),
    queue: container.get(ENTRYPOINT_TOKENS.InMemoryNotificationQueue),
    get: <T>(token: symbol) => container.get<T>(token),
  };
}
