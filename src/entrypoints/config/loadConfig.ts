import type { GatewayConfig } from '../standalone/config/gatewayConfig.js';
import { loadAwsConfig, type AwsConfig } from './awsConfig.js';
import { ConfigurationError } from './ConfigurationError.js';
import { loadCoreConfig, PROFILES, randomDevSecret, type CoreConfig, type Profile } from './coreConfig.js';
import type { DevSecretName, DevSecrets } from './devSecrets.js';
import type { Env } from './Env.js';
import type { KafkaConfig } from './kafkaConfig.js';
import { loadObservabilityConfig, type ObservabilityConfig } from './observabilityConfig.js';
import type { PortConfig } from './portConfig.js';
import { loadRedisConfig, type RedisConfig } from './redisConfig.js';

/** All of hermes' configuration, read and validated once. Sections a process does not use are undefined. */
export interface HermesConfig {
  /** The variables it was read from (the Kafka password and Port credentials are read through the secret provider). */
  readonly env: Env;
  readonly core: CoreConfig;
  /** Region, endpoints, tables, queue, `@connections` endpoint: parsed on every profile (nothing is required). */
  readonly aws: AwsConfig;
  /** `REDIS_URL`, the key stage, the node heartbeat TTL: read when a Redis adapter is picked (else the defaults; nothing is required). */
  readonly redis: RedisConfig;
  /** The local gateway's settings (`hermes start`), when asked for. */
  readonly gateway: GatewayConfig | undefined;
  /** The kafkajs runner's settings, when asked for and `KAFKA_BROKERS` is set. */
  readonly kafka: KafkaConfig | undefined;
  /** The Port side of the runner, when asked for; otherwise `portConfigOf` reads it on demand. */
  readonly port: PortConfig | undefined;
  /** Stage and runtime, for metrics, tracing and logs (`observabilityConfig.ts`). */
  readonly observability: ObservabilityConfig;
}

export interface LoadConfigOptions {
  /** Profile instead of `HERMES_PROFILE` (CLI `--profile`). */
  readonly profile?: Profile;
  /**
   * The sections beyond core and AWS this process uses (`gatewaySection`, `kafkaSection`,
   * `portSection`): passed in, so that a Lambda bundle holds only the loaders it needs.
   */
  readonly sections?: readonly ConfigSection[];
  /** Where generated development secrets come from (`memory` profile); default: random for this process. */
  readonly devSecrets?: DevSecrets;
  /** False for tools that create the secrets rather than use them (`hermes provision`); default true. */
  readonly secretsRequired?: boolean;
}

/** Reads one optional section; throws ConfigurationError (collected with the others). */
export type ConfigSection = (
  env: Env,
  profile: Profile,
  devSecrets: DevSecrets | undefined,
) => Partial<Pick<HermesConfig, 'gateway' | 'kafka' | 'port'>>;

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
  const core = section(problems, () => loadCoreConfig(env, options.profile, devSecret, options.secretsRequired ?? true));
  // When the core section is invalid, the other sections are still checked for the profile asked for.
  const asked = env['HERMES_PROFILE']?.trim();
  const profile =
    core?.profile ?? options.profile ?? ((PROFILES as readonly string[]).includes(asked ?? '') ? (asked as Profile) : 'memory');
  const aws = section(problems, () => loadAwsConfig(env, profile));
  // Read only when a Redis adapter is picked, so the Lambda functions (never on Redis) read no Redis variable.
  const usesRedis = profile === 'redis' || Object.values(core?.adapters ?? {}).includes('redis');
  const redis = section(problems, () => loadRedisConfig(usesRedis ? env : {}));
  let sections: Partial<Pick<HermesConfig, 'gateway' | 'kafka' | 'port'>> = {};
  for (const load of options.sections ?? []) {
    sections = { ...sections, ...section(problems, () => load(env, profile, devSecrets)) };
  }
  if (problems.length > 0 || core === undefined || aws === undefined || redis === undefined) throw new ConfigurationError(problems);
  options.devSecrets?.save();
  return {
    env,
    core,
    aws,
    redis,
    gateway: sections.gateway,
    kafka: sections.kafka,
    port: sections.port,
    observability: loadObservabilityConfig(env),
  };
}
