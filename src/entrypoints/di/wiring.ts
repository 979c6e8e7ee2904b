import { Logger as PowertoolsBaseLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { PowertoolsLogger } from '../../adapters/logging/PowertoolsLogger.js';
import { SystemClock } from '../../adapters/system/SystemClock.js';
import type { CoreConfig } from '../config/coreConfig.js';
import type { HermesConfig } from '../config/loadConfig.js';

/**
 * What the adapter factories of one composition share: the configuration, the clock, the logger,
 * and one instance per key of whatever must be shared (SDK clients, the local connection registry).
 */
export interface Wiring {
  readonly config: HermesConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Powertools' `addContext` of the composition's logger (undefined for a logger given by a test). */
  readonly addLogContext: ((context: Context) => void) | undefined;
  /** The instance made for `key` in this composition, made by `make` on first use. */
  once<T>(key: string, make: () => T): T;
}

export interface WiringOverrides {
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Structured JSON logs through Powertools, at the configured level (else Powertools' own variables). */
export function createPowertoolsLogger(core: CoreConfig): PowertoolsBaseLogger {
  return new PowertoolsBaseLogger({ serviceName: 'hermes', ...(core.logLevel ? { logLevel: core.logLevel } : {}) });
}

export function createWiring(config: HermesConfig, overrides: WiringOverrides = {}): Wiring {
  const instances = new Map<string, unknown>();
  const base = overrides.logger === undefined ? createPowertoolsLogger(config.core) : undefined;
  return {
    config,
    clock: overrides.clock ?? new SystemClock(),
    logger: overrides.logger ?? new PowertoolsLogger(base),
    addLogContext: base === undefined ? undefined : (context) => base.addContext(context),
    once<T>(key: string, make: () => T): T {
      if (!instances.has(key)) instances.set(key, make());
      return instances.get(key) as T;
    },
  };
}
