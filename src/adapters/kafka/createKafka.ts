import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from '../../application/shared/ports/Logger.js';

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** How to reach the Kafka cluster (Port's, or any other). */
export interface KafkaConnectionSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: boolean;
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    /** Resolved when connecting (environment or Secrets Manager); never logged. */
    readonly password: () => Promise<string>;
  };
}

/** kafkajs's log lines, at WARN and above, through hermes's logger; only a few known-safe fields. */
function logCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, broker, groupId, topic, error } = log as Record<string, unknown>;
      const attributes = {
        source: 'kafkajs',
        ...(typeof broker === 'string' && { broker }),
        ...(typeof groupId === 'string' && { groupId }),
        ...(typeof topic === 'string' && { topic }),
        ...(typeof error === 'string' && { error }),
      };
      const text = typeof message === 'string' ? message : 'kafkajs';
      if (level === logLevel.ERROR) logger.error(text, attributes);
      else if (level === logLevel.WARN) logger.warn(text, attributes);
      else logger.debug(text, attributes);
    };
}

async function saslOptions(settings: KafkaConnectionSettings): Promise<SASLOptions | undefined> {
  const sasl = settings.sasl;
  if (sasl === undefined) return undefined;
  const password = await sasl.password();
  switch (sasl.mechanism) {
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password };
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password };
  }
}

/** A kafkajs client for `settings`, logging through `logger`. */
export async function createKafka(settings: KafkaConnectionSettings, logger: Logger): Promise<Kafka> {
  const sasl = await saslOptions(settings);
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    ...(sasl !== undefined && { sasl }),
    logLevel: logLevel.WARN,
    logCreator: logCreator(logger),
  });
}
