import 'reflect-metadata';
import { Container } from 'inversify';
import type { Env } from './config/Env.js';
import { loadCoreConfig, type Profile } from './config/coreConfig.js';
import { notificationAdapterModule } from './di/notificationAdapterModule.js';
import { notificationModule } from './di/notificationModule.js';
import { portRunnerModule } from './di/portRunnerModule.js';
import { sharedModule } from './di/sharedModule.js';
import { ENTRYPOINT_TOKENS } from './di/tokens.js';

export interface ContainerOverrides {
  /** Variables to read instead of `process.env`. */
  readonly env?: Env;
  /** Constant values that replace whatever the profile binds to these tokens (test doubles, shared objects). */
  readonly values?: ReadonlyArray<readonly [symbol, unknown]>;
}

/**
 * The composition root. Picks the adapters of `profile` (default: `HERMES_PROFILE`, else `memory`),
 * each overridable by its own variable. Configuration is read and validated once, here.
 */
export function buildContainer(profile?: Profile, overrides: ContainerOverrides = {}): Container {
  const env = overrides.env ?? { ...process.env };
  const core = loadCoreConfig(env, profile);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(ENTRYPOINT_TOKENS.Env).toConstantValue(env);
  container.bind(ENTRYPOINT_TOKENS.CoreConfig).toConstantValue(core);
  container.load(sharedModule(core), notificationModule(core), notificationAdapterModule(core), portRunnerModule(core));
  for (const [token, value] of overrides.values ?? []) {
    if (container.isBound(token)) container.unbind(token);
    container.bind(token).toConstantValue(value);
  }
  return container;
}
