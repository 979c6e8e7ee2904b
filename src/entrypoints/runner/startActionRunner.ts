import type { Container } from 'inversify';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { Env } from '../config/Env.js';
import { kafkaConfigured, loadKafkaConfig } from '../config/kafkaConfig.js';
import { createRunConsumer } from './createRunConsumer.js';

/**
 * Starts the Port action runner's Kafka consumer when `KAFKA_BROKERS` is set (`hermes start`,
 * `npm start`); resolves undefined otherwise. Resolves once the consumer has joined its group.
 * Configuration errors (Kafka or Port) reject before anything is consumed.
 */
export async function startActionRunnerIfConfigured(
  container: Container,
  env: Env,
  logger: Logger,
): Promise<{ stop(): Promise<void> } | undefined> {
  if (!kafkaConfigured(env)) return undefined;
  const config = loadKafkaConfig(env);
  const consumer = createRunConsumer(container, config, logger);
  logger.info('Starting the Port action runner', {
    topic: config.topic,
    groupId: config.groupId,
    brokers: config.brokers.length,
    ssl: config.ssl,
    sasl: config.sasl?.mechanism ?? 'none',
  });
  try {
    await consumer.start();
  } catch (error) {
    await consumer.stop().catch(() => undefined);
    throw error;
  }
  return { stop: () => consumer.stop() };
}
