import { expect } from 'chai';
import type { Container } from 'inversify';
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { KafkaRunConsumer } from '../../../src/adapters/kafka/KafkaRunConsumer.js';
import { PartitionRunner } from '../../../src/application/runs/PartitionRunner.js';
import type { RunStarter } from '../../../src/application/runs/RunProcessor.js';
import { runLedgerTable } from './support/runLedgerTable.js';
import { FAST_RETRIES, runConsumer, runnerContainer, started } from './support/runConsumer.js';
import { KafkaRunProducer } from '../../../src/adapters/kafka/KafkaRunProducer.js';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import type { RunResult } from '../../../src/application/runs/RunResult.js';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';
import { kafkaMockCluster, MOCK_CONSUMER_TUNING, uniqueName } from '../../support/services/index.js';
import { RecordingLogger, tutorialMessage } from '../../unit/runs/support.js';

/** Polls `predicate` until it holds. */
async function until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const vm = (title: string) => ({ title, cpu: 1, memory: 2, storage: 10, region: 'eu-west-2' });

/** An assigner that gives nobody anything: the situation of a member in a group with more members than partitions. */
const assignNothing: PartitionAssigner = () => ({
  name: 'AssignNothing',
  version: 1,
  protocol: ({ topics }) => ({
    name: 'AssignNothing',
    metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
  }),
  assign: async ({ members }) =>
    members.map((member) => ({
      memberId: member.memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: {}, userData: Buffer.alloc(0) }),
    })),
});

describe('Kafka runs consumer (kafkajs) on the mock cluster, against the fake Port API', function () {
  this.timeout(120_000);
  let brokers: string[];
  let fake: FakePortApi;
  let producer: KafkaRunProducer;
  const consumers: KafkaRunConsumer[] = [];

  before(async function () {
    brokers = (await kafkaMockCluster()).brokers;
    fake = await startFakePortApi();
    producer = new KafkaRunProducer({ brokers, clientId: 'it-producer', ssl: false }, new RecordingLogger());
    await producer.connect();
  });

  afterEach(async function () {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });

  after(async function () {
    await producer?.disconnect();
    const violations = fake?.violations ?? [];
    await fake?.stop();
    // Every request the runner sent fits Port's request schemas.
    expect(violations).to.deep.equal([]);
  });

  const container = (ledger?: RunLedger): Container => runnerContainer(fake, ledger);

  /** A consumer that records every HandleActionRun result; `hook` may act after each one. */
  function recordingConsumer(
    runner: Container,
    topic: string,
    groupId: string,
    results: RunResult[],
    hook: (result: RunResult) => void = () => undefined,
    logger = new RecordingLogger(),
  ): KafkaRunConsumer {
    const recording = (inner: RunStarter): RunStarter => ({
      start: async (message, source) => {
        if (Buffer.from(message as Uint8Array).toString() === 'explode') throw new Error('a bug that fails on this record every time');
        const begun = await inner.start(message, source);
        return {
          mayOverlap: false,
          done: begun.done.then((result) => {
            results.push(result);
            hook(result);
            return result;
          }),
        };
      },
    });
    const consumer = runConsumer(runner, { brokers, topic, groupId, ssl: false }, logger, {
      tuning: { fromBeginning: true, consumerConfig: MOCK_CONSUMER_TUNING },
      runner: { ...FAST_RETRIES, maxUnexpectedFailures: 3 },
      starter: recording,
    });
    consumers.push(consumer);
    return consumer;
  }

  async function produce(topic: string, messages: Array<{ key: string; value: unknown }>): Promise<void> {
    await producer.send(
      topic,
      messages.map(({ key, value }) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })),
    );
  }

  it('feeds every run to the fake Port API, partitions in parallel, with one token', async function () {
    const topic = uniqueName('org_it.runs');
    const runIds = Array.from({ length: 16 }, (_, i) => `run_flow_${i}_${uniqueName('x')}`);
    await produce(
      topic,
      runIds.map((runId, i) => ({ key: `k${i}`, value: tutorialMessage(runId, vm(`flow ${runId}`)) })),
    );
    const tokensBefore = fake.count('auth');
    const consumer = runConsumer(container(), { brokers, topic, groupId: uniqueName('org_it.flow'), ssl: false }, new RecordingLogger(), {
      tuning: { fromBeginning: true, consumerConfig: MOCK_CONSUMER_TUNING },
    });
    consumers.push(consumer);
    await started(consumer);
    await fake.waitFor('16 runs reported', () => runIds.every((runId) => fake.runs.get(runId)?.status === 'SUCCESS'), 30_000);

    expect(consumer.assignedPartitions).to.deep.equal([0, 1, 2, 3]);
    expect(fake.count('auth') - tokensBefore).to.equal(1);
    for (const runId of runIds) {
      expect(fake.entities.get(`vm/flow-${runId.toLowerCase()}`)?.runId, runId).to.equal(runId);
      expect(fake.runs.get(runId)?.patches, runId).to.equal(1);
    }
  });

  it('after a crash between handling and committing, a restarted consumer resumes from the committed offset and runs no handler twice', async function () {
    const { client, ledger } = await runLedgerTable();

    const topic = uniqueName('org_it.runs');
    const groupId = uniqueName('org_it.crash');
    const runIds = Array.from({ length: 8 }, (_, i) => `run_crash_${i}_${uniqueName('x')}`);
    // One key: one partition, so the order of handling and committing is known.
    await produce(
      topic,
      runIds.map((runId) => ({ key: 'same-key', value: tutorialMessage(runId, vm(runId)) })),
    );

    const firstResults: RunResult[] = [];
    let crashed!: Promise<void>;
    const first: KafkaRunConsumer = recordingConsumer(container(ledger()), topic, groupId, firstResults, (result) => {
      if (result.kind === 'completed' && result.runId === runIds[4]) {
        // The process dies right after Port has the status of run 4, before its offset is committed.
        crashed = first.stop();
        throw new Error('simulated crash');
      }
    });
    await started(first);
    await fake.waitFor('run 4 reported', () => fake.runs.get(runIds[4]!)?.status === 'SUCCESS', 30_000);
    await fake.waitFor('the crash', () => crashed !== undefined, 5_000);
    await crashed;
    expect(firstResults.map((r) => r.kind === 'completed' && r.runId)).to.deep.equal(runIds.slice(0, 5));
    expect(fake.runs.has(runIds[5]!)).to.equal(false);

    const secondResults: RunResult[] = [];
    const second = recordingConsumer(container(ledger()), topic, groupId, secondResults);
    await started(second);
    await until('every run handled', () => secondResults.length >= 4);

    // Redelivered from the last committed offset: run 4 again (skipped by the ledger), then 5..7.
    expect(secondResults.map((r) => [r.kind, 'runId' in r ? r.runId : undefined])).to.deep.equal([
      ['duplicate', runIds[4]],
      ['completed', runIds[5]],
      ['completed', runIds[6]],
      ['completed', runIds[7]],
    ]);
    for (const runId of runIds) {
      expect(fake.runs.get(runId)?.status, runId).to.equal('SUCCESS');
      expect(fake.entities.get(`vm/${runId.toLowerCase()}`)?.runId, runId).to.equal(runId);
      expect(fake.runs.get(runId)?.patches, `${runId} reported once`).to.equal(1);
      expect(fake.runs.get(runId)?.logs, `${runId} handled once`).to.have.length(2);
    }
    client.destroy();
  });

  it('does not let a poison message stall its partition', async function () {
    const topic = uniqueName('org_it.runs');
    const ids = { a: `run_a_${uniqueName('p')}`, b: `run_b_${uniqueName('p')}`, d: `run_d_${uniqueName('p')}` };
    await produce(topic, [
      { key: 'one', value: tutorialMessage(ids.a, vm('poison a')) },
      { key: 'one', value: '{"this is": not json' },
      { key: 'one', value: tutorialMessage(ids.b, { title: 'poison b', cpu: 'lots', memory: 1, storage: 1, region: 'eu-west-2' }) },
      { key: 'one', value: 'explode' },
      { key: 'one', value: tutorialMessage(ids.d, vm('poison d')) },
    ]);
    const results: RunResult[] = [];
    const logger = new RecordingLogger();
    const consumer = recordingConsumer(container(), topic, uniqueName('org_it.poison'), results, undefined, logger);
    await started(consumer);
    await until('the run after the poison messages', () => results.length >= 4);

    expect(results.map((r) => r.kind)).to.deep.equal(['completed', 'skipped', 'completed', 'completed']);
    expect(fake.runs.get(ids.a)?.status).to.equal('SUCCESS');
    expect(fake.runs.get(ids.b)).to.include({ status: 'FAILURE', statusLabel: 'Invalid input' });
    expect(logger.lines.filter((line) => line.message.startsWith('A record failed unexpectedly'))).to.have.length(2);
    expect(logger.lines.some((line) => line.message.startsWith('Skipped a record that kept failing'))).to.equal(true);
  });

  it('retries a run while Port is unavailable, keeping the order of its partition', async function () {
    const topic = uniqueName('org_it.runs');
    const first = `run_retry_${uniqueName('r')}`;
    const next = `run_next_${uniqueName('r')}`;
    await produce(topic, [
      { key: 'k', value: tutorialMessage(first, vm(first)) },
      { key: 'k', value: tutorialMessage(next, vm(next)) },
    ]);
    // More failures than one attempt of the client absorbs: the run is deferred, then retried by the consumer.
    fake.failNext({ status: 503, route: 'upsertEntity' }, 5);
    const logger = new RecordingLogger();
    const consumer = recordingConsumer(container(), topic, uniqueName('org_it.retry'), [], undefined, logger);
    await started(consumer);
    await fake.waitFor('both runs reported', () => fake.runs.get(next)?.status === 'SUCCESS', 60_000);

    expect(fake.runs.get(first)?.status).to.equal('SUCCESS');
    expect(logger.lines.some((line) => line.message.startsWith('A run will be retried'))).to.equal(true);
    const patchOf = (runId: string) => fake.calls.find((c) => c.route === 'patchRun' && c.path.endsWith(`/${runId}`))?.at ?? Infinity;
    expect(patchOf(first)).to.be.below(patchOf(next));
  });

  it('says so loudly when the group gives it no partition', async function () {
    const topic = uniqueName('org_it.runs');
    await produce(topic, [{ key: 'k', value: 'x' }]);
    const logger = new RecordingLogger();
    const consumer = new KafkaRunConsumer({
      connection: { brokers, clientId: 'it-none', ssl: false },
      topic,
      groupId: uniqueName('org_it.none'),
      logger,
      consumerConfig: { ...MOCK_CONSUMER_TUNING, partitionAssigners: [assignNothing] },
      partitionRunner: new PartitionRunner(
        { start: async () => ({ mayOverlap: true, done: Promise.reject(new Error('unused')) }) },
        logger,
      ),
    });
    consumers.push(consumer);
    await consumer.start();
    await until('the group join', () => consumer.assignedPartitions !== undefined);
    expect(consumer.assignedPartitions).to.deep.equal([]);
    const line = logger.lines.find((l) => l.message.includes('has no partition of the runs topic'));
    expect(line?.level).to.equal('error');
    expect(String(line?.attributes['hint'])).to.include('KAFKA_CONSUMER_GROUP_NAME');
  });
});
