import type { Container } from 'inversify';
import { isRetryable, retryAfterMsOf } from '../../domain/shared/HermesError.js';
import { RUN_TOKENS } from '../../application/runs/tokens.js';
import type { HandleActionRun } from '../../application/runs/usecases/HandleActionRun.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import type { KafkaConnectionSettings } from '../../adapters/kafka/createKafka.js';
import { KafkaRunConsumer, type KafkaRunConsumerOptions } from '../../adapters/kafka/KafkaRunConsumer.js';
import type { KafkaConfig } from '../config/kafkaConfig.js';

/** Consumer settings a caller may tune (tests, benchmarks); production uses the defaults. */
export type RunConsumerTuning = Partial<
  Pick<
    KafkaRunConsumerOptions,
    | 'partitionsConcurrently'
    | 'maxReportsInFlight'
    | 'fromBeginning'
    | 'consumerConfig'
    | 'retryBaseDelayMs'
    | 'retryMaxDelayMs'
    | 'maxUnexpectedFailures'
  >
>;

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

/** The kafkajs connection of `config`; the SASL password comes from `KAFKA_PASSWORD` or the secret provider. */
export function kafkaConnection(config: KafkaConfig, secrets: SecretProvider, clientId = 'hermes'): KafkaConnectionSettings {
  const sasl = config.sasl;
  return {
    brokers: config.brokers,
    clientId,
    ssl: config.ssl,
    ...(sasl !== undefined && {
      sasl: {
        mechanism: sasl.mechanism,
        username: sasl.username,
        password: async () =>
          sasl.password ??
          kafkaPasswordFromSecret(await secrets.get('KAFKA_PASSWORD')),
      },
    }),
  };
}

/**
 * A kafkajs consumer of the runs topic that feeds every record to HandleActionRun. The next record
 * of a partition starts once a run's outcome is in the ledger, while the run is still reported.
 */
export function createRunConsumer(
  container: Container,
  config: KafkaConfig,
  logger: Logger,
  tuning: RunConsumerTuning = {},
): KafkaRunConsumer {
  const handleRun = container.get<HandleActionRun>(RUN_TOKENS.HandleActionRun);
  return new KafkaRunConsumer({
    ...tuning,
    connection: kafkaConnection(config, container.get<SecretProvider>(SHARED_TOKENS.SecretProvider)),
    topic: config.topic,
    groupId: config.groupId,
    logger,
    process: async (record, progress) => {
      await handleRun.execute({
        message: record.value ?? '',
        source: { topic: record.topic, partition: record.partition, offset: record.offset },
        onHandled: () => progress.handled(),
      });
    },
    classify: (error) => {
      if (!isRetryable(error)) return { retry: false };
      const afterMs = retryAfterMsOf(error);
      return afterMs === undefined ? { retry: true } : { retry: true, afterMs };
    },
  });
}
