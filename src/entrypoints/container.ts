import 'reflect-metadata';
import { Container } from 'inversify';
import type { Clock } from '../application/shared/ports/Clock.js';
import type { Logger } from '../application/shared/ports/Logger.js';
import { ConsoleLogger } from '../adapters/logging/ConsoleLogger.js';
import type { InvocationMetrics } from '../adapters/metrics/InvocationMetrics.js';
import { SHARED_TOKENS } from '../application/shared/tokens.js';
import type { Profile } from './config/coreConfig.js';
import type { Env } from './config/Env.js';
import { loadConfig, type HermesConfig } from './config/loadConfig.js';
import { notificationAdapterModule } from './di/notificationAdapterModule.js';
import { notificationModule } from './di/notificationModule.js';
import { observedBroadcast } from './di/observability.js';
import { NOTIFICATION_TOKENS } from '../application/notifications/tokens.js';
import type { BroadcastToRoom } from '../application/notifications/usecases/BroadcastToRoom.js';
import { portRunnerModule } from './di/portRunnerModule.js';
import { sharedModule } from './di/sharedModule.js';
import { enableRedisAdapters } from './di/adapters/redisAdapters.js';
import { ENTRYPOINT_TOKENS } from './di/tokens.js';
import { createWiring, type Wiring } from './di/wiring.js';

export type ContainerValues = ReadonlyArray<readonly [symbol, unknown]>;

export interface ContainerOverrides {
  /** Variables to read instead of `process.env`. */
  readonly env?: Env;
  /** Constant values that replace whatever the profile binds to these tokens (test doubles, shared objects). */
  readonly values?: ContainerValues;
}

/**
 * The inversify container of the standalone composition (gateway, CLI): every use case, with the
 * adapters the adapter table picks for `config`. Only the composition functions see it.
 */
export function containerFor(config: HermesConfig, wiring: Wiring, values: ContainerValues = []): Container {
  enableRedisAdapters(wiring);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(ENTRYPOINT_TOKENS.Config).toConstantValue(config);
  container.bind(ENTRYPOINT_TOKENS.CoreConfig).toConstantValue(config.core);
  container.load(sharedModule(wiring), notificationModule(config.core), notificationAdapterModule(wiring), portRunnerModule(wiring));
  // Broadcasts timed and their deliveries counted, around the use case the module built.
  container.onActivation<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom, (_context, broadcast) =>
    observedBroadcast(broadcast, wiring),
  );
  for (const [token, value] of values) {
    if (container.isBound(token)) container.unbind(token);
    container.bind(token).toConstantValue(value);
  }
  return container;
}

/** A clock or logger given as a value (and the gateway's metrics registry) replaces the composition's own, for the adapters too. */
export function wiringFor(config: HermesConfig, values: ContainerValues = [], metrics?: InvocationMetrics): Wiring {
  const given = new Map(values);
  const clock = given.get(SHARED_TOKENS.Clock) as Clock | undefined;
  // `npm start`: human-readable lines (HERMES_LOG_FORMAT); JSON through Powertools otherwise.
  const pretty = config.gateway?.logFormat === 'pretty' ? new ConsoleLogger(config.core.logLevel) : undefined;
  const logger = (given.get(SHARED_TOKENS.Logger) as Logger | undefined) ?? pretty;
  return createWiring(config, { ...(clock ? { clock } : {}), ...(logger ? { logger } : {}), ...(metrics ? { metrics } : {}) });
}

/**
 * A container read from `env` (default `process.env`): the test seam of the composition root.
 * Configuration is read and validated once, here, every problem in one error.
 */
export function buildContainer(profile?: Profile, overrides: ContainerOverrides = {}): Container {
  const config = loadConfig(overrides.env ?? { ...process.env }, profile ? { profile } : {});
  return containerFor(config, wiringFor(config, overrides.values), overrides.values);
}
