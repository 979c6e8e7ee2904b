import { expect } from 'chai';
import { KafkaRunConsumer } from '../../../src/adapters/kafka/KafkaRunConsumer.js';
import { KafkaRunProducer } from '../../../src/adapters/kafka/KafkaRunProducer.js';
import { PartitionRunner } from '../../../src/application/runs/PartitionRunner.js';
import type { RunStarter } from '../../../src/application/runs/RunProcessor.js';
import { RUN_TOKENS } from '../../../src/application/runs/tokens.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import type { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { PORT_RUNNER_TOKENS } from '../../../src/entrypoints/di/portRunnerModule.js';
import { startGateway } from '../../../src/entrypoints/standalone/startGateway.js';
import { freePort, MOCK_CONSUMER_TUNING, startKafkaMockCluster, uniqueName, type KafkaMockCluster } from '../../support/services/index.js';
import { RecordingLogger, tutorialMessage } from '../../unit/runs/support.js';

async function until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Kafka runner recovery (issue 10 item 2): the mock cluster killed and started again mid-run', function () {
  this.timeout(180_000);

  it('reports not consuming while the cluster is gone, then rejoins and consumes again', async function () {
    // The mock cluster cannot be restarted on the same ports; the brokers are read at each re-creation, as a DNS name would resolve to the new cluster.
    let cluster: KafkaMockCluster = await startKafkaMockCluster();
    const container = buildContainer('memory', { env: { PORT_ORG_ID: 'org_it' } });
    const port = container.get<InMemoryPortApi>(PORT_RUNNER_TOKENS.PortAdapter);
    const logger = new RecordingLogger();
    const topic = uniqueName('org_it.runs');
    const connection = {
      clientId: 'it-recovery',
      ssl: false,
      get brokers() {
        return cluster.brokers;
      },
    };
    const consumer = new KafkaRunConsumer({
      connection,
      topic,
      groupId: uniqueName('org_it.recovery'),
      logger,
      fromBeginning: true,
      consumerConfig: { ...MOCK_CONSUMER_TUNING, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } },
      reconnect: { baseDelayMs: 200, maxDelayMs: 1_000 },
      partitionRunner: new PartitionRunner(container.get<RunStarter>(RUN_TOKENS.RunProcessor), logger),
    });
    const produce = async (runId: string): Promise<void> => {
      const producer = new KafkaRunProducer({ brokers: cluster.brokers, clientId: 'it-recovery-producer', ssl: false }, logger);
      await producer.connect();
      await producer.send(topic, [{ key: runId, value: JSON.stringify(tutorialMessage(runId)) }]);
      await producer.disconnect();
    };
    try {
      await produce('run_before');
      await consumer.start();
      await until('the first run reported', () => port.runs.get('run_before')?.status === 'SUCCESS', 60_000);
      expect(consumer.status().state).to.equal('consuming');

      await cluster.stop();
      await until('the runner notices', () => consumer.status().state !== 'consuming', 90_000);
      expect(consumer.status().lastError).to.be.a('string');

      cluster = await startKafkaMockCluster();
      await produce('run_after');
      await until('the runner consuming again', () => consumer.status().state === 'consuming', 90_000);
      await until('the run after the restart reported', () => port.runs.get('run_after')?.status === 'SUCCESS', 60_000);
    } finally {
      await consumer.stop();
      await cluster.stop();
    }
  });

  it('serves at once when Kafka is unreachable at start-up, and /health says the runner is not consuming (200, degraded)', async function () {
    const unused = await freePort();
    const started = Date.now();
    const gateway = await startGateway({
      profile: 'memory',
      env: {
        HERMES_PORT: '0',
        HERMES_ADMIN_KEY: 'k'.repeat(32),
        BCRYPT_COST: '4',
        PORT_ORG_ID: 'org_it',
        KAFKA_BROKERS: `127.0.0.1:${unused}`,
      },
    });
    try {
      expect(Date.now() - started, 'start-up does not wait for Kafka').to.be.below(5_000);
      const response = await fetch(`${gateway.url}/health`);
      expect(response.status).to.equal(200);
      const body = (await response.json()) as { status: string; runner?: { state: string; since: string } };
      expect(body.status).to.equal('degraded');
      expect(['connecting', 'reconnecting']).to.include(body.runner?.state);
      expect(body.runner?.since).to.be.a('string');
    } finally {
      await gateway.stop();
    }
  });
});
