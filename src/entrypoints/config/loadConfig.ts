import type { GatewayConfig, GatewayConfigOverrides } from '../standalone/config/gatewayConfig.js';
import { loadGatewayConfig } from '../standalone/config/gatewayConfig.js';
import { loadAwsConfig, type AwsConfig } from './awsConfig.js';
import { ConfigurationError } from './ConfigurationError.js';
import { loadCoreConfig, randomDevSecret, type CoreConfig, type Profile } from './coreConfig.js';
import type { DevSecretName, DevSecrets } from './devSecrets.js';
import type { Env } from './Env.js';
import { kafkaConfigured, loadKafkaConfig, type KafkaConfig } from './kafkaConfig.js';
import { loadPortConfig, type PortConfig } from './portConfig.js';

/** All of hermes' configuration, read and validated once. Sections a process does not use are undefined. */
export interface HermesConfig {
  /** The variables it was read from (the Kafka password and Port credentials are read through the secret provider). */
  readonly env: Env;
  readonly core: CoreConfig;
  /** Region, endpoints, tables, queue, `@connections` endpoint: parsed on every profile (nothing is required). */
  readonly aws: AwsConfig;
  /** The local gateway's settings (`hermes start`), when asked for. */
  readonly gateway: GatewayConfig | undefined;
  /** The kafkajs runner's settings, when asked for and `KAFKA_BROKERS` is set. */
  readonly kafka: KafkaConfig | undefined;
  /** The Port side of the runner, when asked for; otherwise {@link portConfigOf} reads it on demand. */
  readonly port: PortConfig | undefined;
}

export interface LoadConfigOptions {
  /** Profile instead of `HERMES_PROFILE` (CLI `--profile`). */
  readonly profile?: Profile;
  /** Read the local gateway's section too, with these overrides (CLI flags, tests). */
  readonly gateway?: GatewayConfigOverrides | true;
  /** Read the runner's sections: Port, and Kafka when `KAFKA_BROKERS` is set. */
  readonly runner?: boolean;
  /** Where generated development secrets come from (`memory` profile); default: random for this process. */
  readonly devSecrets?: DevSecrets;
}

/** Runs one section's loader, adding its problems to `problems` instead of throwing. */
function section<T>(problems: string[], load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/**
 * Reads the configuration once. Every problem of every section read is listed in one
 * {@link ConfigurationError} (never two rounds); no message echoes a secret.
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): HermesConfig {
  const problems: string[] = [];
  const devSecrets = options.devSecrets;
  const devSecret = devSecrets ? (name: DevSecretName): string => devSecrets.get(name) : randomDevSecret;
  const core = section(problems, () => loadCoreConfig(env, options.profile, devSecret));
  const profile = core?.profile ?? options.profile ?? 'memory';
  const aws = section(problems, () => loadAwsConfig(env, profile));
  const gateway =
    options.gateway === undefined
      ? undefined
      : section(problems, () =>
          loadGatewayConfig(env, profile, options.gateway === true ? {} : options.gateway, options.devSecrets),
        );
  const runner = options.runner ?? false;
  const kafka = runner && kafkaConfigured(env) ? section(problems, () => loadKafkaConfig(env)) : undefined;
  const port = runner ? section(problems, () => loadPortConfig(env, profile)) : undefined;
  if (problems.length > 0 || core === undefined || aws === undefined) throw new ConfigurationError(problems);
  options.devSecrets?.save();
  return { env, core, aws, gateway, kafka, port };
}

const portConfigs = new WeakMap<HermesConfig, PortConfig>();

/** The Port section: as loaded, or read now (once per configuration); throws ConfigurationError. */
export function portConfigOf(config: HermesConfig): PortConfig {
  if (config.port !== undefined) return config.port;
  let port = portConfigs.get(config);
  if (port === undefined) {
    port = loadPortConfig(config.env, config.core.profile);
    portConfigs.set(config, port);
  }
  return port;
}
