import { Logger as PowertoolsBaseLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { PowertoolsLogger } from '../../adapters/logging/PowertoolsLogger.js';
import type { InvocationMetrics } from '../../adapters/metrics/InvocationMetrics.js';
import { NOOP_METRICS } from '../../adapters/metrics/NoopMetrics.js';
import { PowertoolsMetrics } from '../../adapters/metrics/PowertoolsMetrics.js';
import type { ClientTracer } from '../../adapters/tracing/PowertoolsTracing.js';
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
  /** hermes' metrics: EMF on Lambda, the gateway's Prometheus registry, or nothing (CLI). */
  readonly metrics: InvocationMetrics;
  /** Wraps each AWS SDK client the adapter table builds (X-Ray subsegments on Lambda); identity elsewhere. */
  readonly traceClient: ClientTracer;
  /** Powertools' `addContext` of the composition's logger (undefined for a logger given by a test). */
  readonly addLogContext: ((context: Context) => void) | undefined;
  /** The instance made for `key` in this composition, made by `make` on first use. */
  once<T>(key: string, make: () => T): T;
}

export interface WiringOverrides {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where metrics go (the standalone gateway passes its Prometheus registry). */
  readonly metrics?: InvocationMetrics;
  /** Traces the SDK clients (the Lambda functions whose bundle budget allows Powertools Tracer). */
  readonly traceClient?: ClientTracer;
}

/** Powertools Metrics (CloudWatch EMF) inside a Lambda function; nothing elsewhere unless a composition gives its own. */
function defaultMetrics(config: HermesConfig): InvocationMetrics {
  const { lambdaFunctionName, stage } = config.observability;
  return lambdaFunctionName === undefined ? NOOP_METRICS : new PowertoolsMetrics(stage);
}

/** Structured JSON logs through Powertools, at the configured level (else Powertools' own variables). */
export function createPowertoolsLogger(core: CoreConfig): PowertoolsBaseLogger {
  return new PowertoolsBaseLogger({
    serviceName: 'hermes',
    // Powertools writes `sampling_rate: 0` on every line when no debug sampling is configured: noise.
    jsonReplacerFn: (key, value: unknown) => (key === 'sampling_rate' && value === 0 ? undefined : value),
    ...(core.logLevel ? { logLevel: core.logLevel } : {}),
  });
}

export function createWiring(config: HermesConfig, overrides: WiringOverrides = {}): Wiring {
  const instances = new Map<string, unknown>();
  const base = overrides.logger === undefined ? createPowertoolsLogger(config.core) : undefined;
  return {
    config,
    clock: overrides.clock ?? new SystemClock(),
    logger: overrides.logger ?? new PowertoolsLogger(base),
    metrics: overrides.metrics ?? defaultMetrics(config),
    traceClient: overrides.traceClient ?? ((client) => client),
    addLogContext: base === undefined ? undefined : (context) => base.addContext(context),
    once<T>(key: string, make: () => T): T {
      if (!instances.has(key)) instances.set(key, make());
      return instances.get(key) as T;
    },
  };
}
