import type { Container } from 'inversify';
import type { RunLedger } from '../../../../src/application/runs/ports/RunLedger.js';
import { buildContainer } from '../../../../src/entrypoints/container.js';
import type { FakePortApi } from '../../../support/fakePortApi.js';
import type { KafkaRunConsumer } from '../../../../src/adapters/kafka/KafkaRunConsumer.js';
import { PartitionRunner, type PartitionRunnerSettings } from '../../../../src/application/runs/PartitionRunner.js';
import type { RunStarter } from '../../../../src/application/runs/RunProcessor.js';
import { RUN_TOKENS } from '../../../../src/application/runs/tokens.js';
import type { Logger } from '../../../../src/application/shared/ports/Logger.js';
import type { KafkaConfig } from '../../../../src/entrypoints/config/kafkaConfig.js';
import { createRunConsumer, type RunConsumerTuning } from '../../../../src/entrypoints/runner/createRunConsumer.js';

/** Retries shortened for tests: 100 ms doubling to 500 ms. */
export const FAST_RETRIES: Partial<PartitionRunnerSettings> = { retry: { baseDelayMs: 100, maxDelayMs: 500 } };

/** The production consumer over the container's RunProcessor (or `starter`), with the runner settings given. */
export function runConsumer(
  container: Container,
  config: KafkaConfig,
  logger: Logger,
  options: { tuning?: RunConsumerTuning; runner?: Partial<PartitionRunnerSettings>; starter?: (inner: RunStarter) => RunStarter } = {},
): KafkaRunConsumer {
  const processor = container.get<RunStarter>(RUN_TOKENS.RunProcessor);
  const partitionRunner = new PartitionRunner(options.starter?.(processor) ?? processor, logger, options.runner);
  return createRunConsumer({ partitionRunner, logger }, config, options.tuning);
}

/** Starts `consumer` and waits until it holds partitions. */
export async function started(consumer: KafkaRunConsumer, timeoutMs = 30_000): Promise<KafkaRunConsumer> {
  await consumer.start();
  await consumer.waitForAssignment(timeoutMs);
  return consumer;
}

/** A memory-profile runner composition talking to `fake` (org `org_it`), on `ledger` when one is given (crash tests share one). */
export function runnerContainer(fake: FakePortApi, ledger?: RunLedger): Container {
  return buildContainer('memory', {
    env: {
      PORT_API_URL: fake.url,
      PORT_CLIENT_ID: fake.credentials.clientId,
      PORT_CLIENT_SECRET: fake.credentials.clientSecret,
      PORT_ORG_ID: 'org_it',
    },
    values: ledger ? [[RUN_TOKENS.RunLedger, ledger]] : [],
  });
}
