import type { SelfManagedKafkaEvent } from 'aws-lambda';
import { expect } from 'chai';
import type { Container } from 'inversify';
import type { KafkaRunConsumer } from '../../../src/adapters/kafka/KafkaRunConsumer.js';
import { KafkaRunProducer } from '../../../src/adapters/kafka/KafkaRunProducer.js';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { createActionRunnerHandler } from '../../../src/entrypoints/lambda/handlers/actionRunner.js';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';
import { handlerDeps } from '../../support/handlerDeps.js';
import { expectFixtureOutcomes, reportedRunIds, skippedRunIds } from '../../support/portFixtureOutcomes.js';
import { fixtureText, PORT_FIXTURES } from '../../support/portFixtures.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { kafkaMockCluster, MOCK_CONSUMER_TUNING, uniqueName } from '../../support/services/index.js';
import { FAST_RETRIES, runConsumer, started } from './support/runConsumer.js';

/**
 * Every run message of test/fixtures/port (Port's docs, port-agent's fixtures) through both Kafka
 * paths to the fake Port API over HTTP: each ends in the outcome it must have.
 */
describe('Port fixtures: every message Port sends, through kafkajs and the Lambda handler', function () {
  this.timeout(120_000);
  let fake: FakePortApi;

  before(async function () {
    fake = await startFakePortApi();
  });

  after(async function () {
    await fake?.stop();
  });

  function runner(logger: RecordingLogger): Container {
    return buildContainer('memory', {
      env: {
        PORT_API_URL: fake.url,
        PORT_CLIENT_ID: fake.credentials.clientId,
        PORT_CLIENT_SECRET: fake.credentials.clientSecret,
        PORT_ORG_ID: 'org_fixtures',
      },
      values: [[SHARED_TOKENS.Logger, logger]],
    });
  }

  describe('kafkajs consumer (kcat mock cluster)', function () {
    let producer: KafkaRunProducer;
    let consumer: KafkaRunConsumer | undefined;
    let brokers: string[];

    before(async function () {
      brokers = (await kafkaMockCluster()).brokers;
      producer = new KafkaRunProducer({ brokers, clientId: 'it-fixtures-producer', ssl: false }, new RecordingLogger());
      await producer.connect();
    });

    after(async function () {
      await consumer?.stop();
      await producer?.disconnect();
    });

    it('reports each run naming create_vm once and skips the others with one info line', async function () {
      const suffix = `_k${uniqueName('x').replace(/[^A-Za-z0-9]/g, '')}`;
      const topic = uniqueName('org_fixtures.runs');
      await producer.send(
        topic,
        PORT_FIXTURES.map((fixture) => ({ key: 'one-key', value: fixtureText(fixture, suffix) })),
      );
      const logger = new RecordingLogger();
      consumer = await started(
        runConsumer(runner(logger), { brokers, topic, groupId: uniqueName('org_fixtures.hermes'), ssl: false }, new RecordingLogger(), {
          tuning: { fromBeginning: true, consumerConfig: MOCK_CONSUMER_TUNING },
          runner: FAST_RETRIES,
        }),
      );
      const reported = reportedRunIds(PORT_FIXTURES, suffix);
      const skipped = skippedRunIds(PORT_FIXTURES, suffix);
      await fake.waitFor(
        'every fixture settled',
        () =>
          reported.every((runId) => fake.runs.get(runId)?.status !== undefined) &&
          skipped.every((runId) => logger.lines.some((line) => line.attributes['runId'] === runId)),
        30_000,
      );
      expectFixtureOutcomes(PORT_FIXTURES, suffix, fake, logger);
    });
  });

  describe('Lambda handler (self-managed Kafka event)', function () {
    it('reports each run naming create_vm once and skips the others with one info line', async function () {
      const suffix = `_l${uniqueName('x').replace(/[^A-Za-z0-9]/g, '')}`;
      const logger = new RecordingLogger();
      const handler = createActionRunnerHandler(handlerDeps(runner(logger)));
      const records = PORT_FIXTURES.map((fixture, offset) => ({
        topic: 'org_fixtures.runs',
        partition: 0,
        offset,
        timestamp: Date.now(),
        timestampType: 'CREATE_TIME' as const,
        key: Buffer.from('one-key').toString('base64'),
        value: Buffer.from(fixtureText(fixture, suffix)).toString('base64'),
        headers: [],
      }));
      const event: SelfManagedKafkaEvent = {
        eventSource: 'SelfManagedKafka',
        bootstrapServers: 'b-1:9096',
        records: { 'org_fixtures.runs-0': records },
      };
      const summary = await handler(event);
      const reported = reportedRunIds(PORT_FIXTURES, suffix).length;
      expect(summary).to.deep.equal({
        records: PORT_FIXTURES.length,
        completed: reported,
        skipped: PORT_FIXTURES.length - reported,
        duplicates: 0,
      });
      expectFixtureOutcomes(PORT_FIXTURES, suffix, fake, logger);
    });
  });
});
