import type { KafkaConnectionSettings } from '../../adapters/kafka/createKafka.js';
import { KafkaRunConsumer, type KafkaRunConsumerOptions } from '../../adapters/kafka/KafkaRunConsumer.js';
import type { PartitionRunner } from '../../application/runs/PartitionRunner.js';
import type { Metrics } from '../../application/shared/ports/Metrics.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import type { KafkaConfig } from '../config/kafkaConfig.js';

/** Consumer settings a caller may tune (tests, benchmarks); production uses the defaults. */
export type RunConsumerTuning = Partial<
  Pick<KafkaRunConsumerOptions, 'partitionsConcurrently' | 'fromBeginning' | 'consumerConfig' | 'reconnect' | 'assignmentWarningMs'>
>;

/** What the Kafka runner needs: the partition runner, a logger, and where a Kafka password kept as a secret is read. */
export interface RunConsumerDependencies {
  readonly partitionRunner: PartitionRunner;
  readonly logger: Logger;
  /** Reads `KAFKA_PASSWORD` when it is not in the environment (Secrets Manager); only needed with SASL. */
  readonly secrets?: SecretProvider;
  /** Where the consumer records its lag per partition. */
  readonly metrics?: Metrics;
}

/**
 * A Kafka password kept in Secrets Manager: the plain string, or the JSON secret the tutorial
 * creates for Lambda's event source mapping (`{"username": ..., "password": ...}`).
 */
export function kafkaPasswordFromSecret(value: string): string {
  if (!value.trimStart().startsWith('{')) return value;
  try {
    const parsed = JSON.parse(value) as { password?: unknown };
    return typeof parsed.password === 'string' ? parsed.password : value;
  } catch {
    return value;
  }
}

/** The kafkajs connection of `config`; the SASL password comes from `KAFKA_PASSWORD` or `secrets`. */
export function kafkaConnection(config: KafkaConfig, secrets: SecretProvider | undefined, clientId = 'hermes'): KafkaConnectionSettings {
  const sasl = config.sasl;
  return {
    brokers: config.brokers,
    clientId,
    ssl: config.ssl,
    ...(sasl !== undefined && {
      sasl: {
        mechanism: sasl.mechanism,
        username: sasl.username,
        password: async () => {
          if (sasl.password !== undefined) return sasl.password;
          if (secrets === undefined) throw new Error('KAFKA_PASSWORD is not set and no secret provider is configured');
          return kafkaPasswordFromSecret(await secrets.get('KAFKA_PASSWORD'));
        },
      },
    }),
  };
}

/** A kafkajs consumer of the runs topic whose partition batches go to `partitionRunner`. */
export function createRunConsumer(deps: RunConsumerDependencies, config: KafkaConfig, tuning: RunConsumerTuning = {}): KafkaRunConsumer {
  return new KafkaRunConsumer({
    ...tuning,
    connection: kafkaConnection(config, deps.secrets),
    topic: config.topic,
    groupId: config.groupId,
    partitionRunner: deps.partitionRunner,
    logger: deps.logger,
    ...(deps.metrics !== undefined && { metrics: deps.metrics }),
  });
}
