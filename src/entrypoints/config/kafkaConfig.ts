import * as z from 'zod/mini';
import type { KafkaSaslMechanism } from '../../adapters/kafka/createKafka.js';
import { ConfigurationError } from './ConfigurationError.js';
import type { Env } from './Env.js';
import type { ConfigSection } from './loadConfig.js';
import { boolVar, caseInsensitiveEnum, parseEnv } from './parseEnv.js';

const SECRET_KEYS = ['KAFKA_PASSWORD'] as const;
// Listed here rather than imported from the kafkajs adapter, so that reading configuration never bundles kafkajs.
const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const satisfies readonly KafkaSaslMechanism[];
const BROKER = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;

const name = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,249}$/, { error: 'must be letters, digits, . _ or -' }));

const schema = z.object({
  KAFKA_BROKERS: z.optional(z.string()),
  KAFKA_RUNS_TOPIC: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9._-]{1,249}$/, { error: 'must be a Kafka topic name (letters, digits, . _ -)' })),
  ),
  KAFKA_AUTHENTICATION_MECHANISM: z.optional(caseInsensitiveEnum(KAFKA_SASL_MECHANISMS, false)),
  KAFKA_ENABLE_SSL: z._default(boolVar(), false),
  KAFKA_USERNAME: z.optional(z.string()),
  KAFKA_PASSWORD: z.optional(z.string()),
  KAFKA_PASSWORD_SECRET_ARN: z.optional(z.string()),
  KAFKA_CONSUMER_GROUP_NAME: z.optional(name),
  PORT_ORG_ID: z.optional(z.string()),
});

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly ssl: boolean;
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    /** Plain `KAFKA_PASSWORD`; when undefined it comes from `KAFKA_PASSWORD_SECRET_ARN` through the secret provider. */
    readonly password: string | undefined;
  };
}

/** True when `KAFKA_BROKERS` is set: the standalone runner should consume the runs topic. */
export function kafkaConfigured(env: Env): boolean {
  return (env['KAFKA_BROKERS'] ?? '').trim() !== '';
}

/**
 * The Kafka consumer's configuration, with the tutorial's variable names. `KAFKA_RUNS_TOPIC` defaults
 * to `${PORT_ORG_ID}.runs`, `KAFKA_CONSUMER_GROUP_NAME` to `${PORT_ORG_ID}.hermes` (Port accepts
 * groups prefixed with the org id) or `hermes-runner`.
 */
export function loadKafkaConfig(env: Env): KafkaConfig {
  const vars = parseEnv(schema, env, SECRET_KEYS);
  const problems: string[] = [];
  const brokers = (vars.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  if (brokers.length === 0) problems.push('KAFKA_BROKERS: required (comma-separated host:port list)');
  for (const broker of brokers) {
    if (!BROKER.test(broker)) problems.push(`KAFKA_BROKERS: "${broker}" is not host:port`);
  }
  const orgId = vars.PORT_ORG_ID;
  const topic = vars.KAFKA_RUNS_TOPIC ?? (orgId !== undefined ? `${orgId}.runs` : undefined);
  if (topic === undefined) problems.push('KAFKA_RUNS_TOPIC: required (or set PORT_ORG_ID to use ORG_ID.runs)');

  const mechanism = vars.KAFKA_AUTHENTICATION_MECHANISM;
  const hasPassword = vars.KAFKA_PASSWORD !== undefined || vars.KAFKA_PASSWORD_SECRET_ARN !== undefined;
  if (mechanism !== undefined) {
    if (vars.KAFKA_USERNAME === undefined) problems.push(`KAFKA_USERNAME: required with KAFKA_AUTHENTICATION_MECHANISM=${mechanism}`);
    if (!hasPassword) {
      problems.push(`KAFKA_PASSWORD: required with KAFKA_AUTHENTICATION_MECHANISM=${mechanism} (or set KAFKA_PASSWORD_SECRET_ARN)`);
    }
  } else if (vars.KAFKA_USERNAME !== undefined || hasPassword) {
    problems.push('KAFKA_AUTHENTICATION_MECHANISM: required when KAFKA_USERNAME or KAFKA_PASSWORD is set (scram-sha-512 for Port)');
  }
  if (problems.length > 0 || topic === undefined) throw new ConfigurationError(problems);

  return {
    brokers,
    topic,
    groupId: vars.KAFKA_CONSUMER_GROUP_NAME ?? (orgId !== undefined ? `${orgId}.hermes` : 'hermes-runner'),
    ssl: vars.KAFKA_ENABLE_SSL,
    ...(mechanism !== undefined &&
      vars.KAFKA_USERNAME !== undefined && {
        sasl: { mechanism, username: vars.KAFKA_USERNAME, password: vars.KAFKA_PASSWORD },
      }),
  };
}

/** The kafkajs runner's section, for `loadConfig`'s `sections`: read only when `KAFKA_BROKERS` is set. */
export const kafkaSection: ConfigSection = (env) => (kafkaConfigured(env) ? { kafka: loadKafkaConfig(env) } : {});
