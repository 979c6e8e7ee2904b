import type { ConsumerStatus } from '../../adapters/kafka/ConsumerState.js';
import type { PartitionRunner } from '../../application/runs/PartitionRunner.js';
import type { Metrics } from '../../application/shared/ports/Metrics.js';
import type { RunCancellation } from '../../application/runs/RunCancellation.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import type { Env } from '../config/Env.js';
import { kafkaConfigured, loadKafkaConfig } from '../config/kafkaConfig.js';
import { createRunConsumer, type RunConsumerTuning } from './createRunConsumer.js';

/** The standalone runner, started: its consumer's state (for `/health`) and a graceful stop. */
export interface RunningActionRunner {
  status(): ConsumerStatus;
  stop(): Promise<void>;
}

export interface ActionRunnerDependencies {
  readonly env: Env;
  readonly logger: Logger;
  /** Built only when Kafka is configured, so Port settings are read only then (and their errors thrown then). */
  readonly partitionRunner: () => PartitionRunner;
  /** `HERMES_RUN_SHUTDOWN_GRACE_SECONDS` in ms (default 30 s). */
  readonly shutdownGraceMs?: number;
  /** The pipeline's shutdown signal: aborted once the grace period of a stop is over. */
  readonly cancellation?: () => RunCancellation;
  /** Where `KAFKA_PASSWORD` is read when it is not in the environment. */
  readonly secrets?: () => SecretProvider;
  readonly tuning?: RunConsumerTuning;
  /** Where the consumer records its lag per partition. */
  readonly metrics?: Metrics;
}

/**
 * Starts the Port action runner's Kafka consumer when `KAFKA_BROKERS` is set (`hermes start`,
 * `npm start`); undefined otherwise. Configuration errors (Kafka or Port) throw at once; the
 * consumer itself connects in the background (an unreachable cluster is retried with backoff, see
 * `status()`), so the gateway serves meanwhile.
 */
export function startActionRunnerIfConfigured(deps: ActionRunnerDependencies): RunningActionRunner | undefined {
  if (!kafkaConfigured(deps.env)) return undefined;
  const config = loadKafkaConfig(deps.env);
  const partitionRunner = deps.partitionRunner();
  const consumer = createRunConsumer(
    {
      partitionRunner,
      logger: deps.logger,
      ...(deps.secrets !== undefined && { secrets: deps.secrets() }),
      ...(deps.metrics !== undefined && { metrics: deps.metrics }),
    },
    config,
    deps.tuning,
  );
  deps.logger.info('Starting the Port action runner', {
    topic: config.topic,
    groupId: config.groupId,
    brokers: config.brokers.length,
    ssl: config.ssl,
    sasl: config.sasl?.mechanism ?? 'none',
  });
  void consumer.start();
  const graceMs = deps.shutdownGraceMs ?? 30_000;
  return {
    status: () => consumer.status(),
    // Runs in flight get the grace period to finish and be reported; then their ctx.signal is aborted and what was not reported is redelivered.
    stop: () => consumer.stop({ graceMs, onGraceExpired: () => deps.cancellation?.().abort() }),
  };
}
