import { expect } from 'chai';
import type { Container } from 'inversify';
import type { Consumer } from 'kafkajs';
import type { KafkaRunConsumer } from '../../../src/adapters/kafka/KafkaRunConsumer.js';
import { KafkaRunProducer } from '../../../src/adapters/kafka/KafkaRunProducer.js';
import type { RunStarter } from '../../../src/application/runs/RunProcessor.js';
import type { RunResult } from '../../../src/application/runs/RunResult.js';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import { TransientError } from '../../../src/domain/shared/HermesError.js';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';
import { kafkaMockCluster, MOCK_CONSUMER_TUNING, uniqueName } from '../../support/services/index.js';
import { RecordingLogger, tutorialMessage } from '../../unit/runs/support.js';
import { runLedgerTable } from './support/runLedgerTable.js';
import { FAST_RETRIES, runConsumer, runnerContainer, started } from './support/runConsumer.js';

const vm = (title: string) => ({ title, cpu: 1, memory: 2, storage: 10, region: 'eu-west-2' });

class GateClosed extends TransientError {
  readonly code = 'TEST_GATE_CLOSED';
  constructor() {
    super('the test ended before the slow run was let through');
  }
}

/**
 * issue 13 "No head-of-line blocking" on kafkajs: a slow run delivered ALONE in its own batch
 * must not hold the runs fetched after it on the same partition. kafkajs hands a partition's next
 * batch only once `eachBatch` returns (https://kafka.js.org/docs/consuming#each-batch), so the
 * consumer keeps one scheduler per partition across batches and commits only the lowest offset not
 * yet reported (https://kafka.js.org/docs/consuming#manual-committing).
 */
describe('Kafka runs consumer: a slow run does not hold the batches fetched after it (mock cluster, fake Port API)', function () {
  this.timeout(120_000);
  let brokers: string[];
  let fake: FakePortApi;
  let producer: KafkaRunProducer;
  const consumers: KafkaRunConsumer[] = [];
  const cleanups: Array<() => void> = [];

  before(async function () {
    brokers = (await kafkaMockCluster()).brokers;
    fake = await startFakePortApi();
    producer = new KafkaRunProducer({ brokers, clientId: 'it-hol-producer', ssl: false }, new RecordingLogger());
    await producer.connect();
  });

  afterEach(async function () {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop({ graceMs: 1_000, onGraceExpired: () => undefined })));
  });

  after(async function () {
    await producer?.disconnect();
    await fake?.stop();
  });

  const container = (ledger?: RunLedger): Container => runnerContainer(fake, ledger);

  /** A consumer whose run `slowRunId` waits for `gate` before it starts; records each result. */
  function consumer(
    runner: Container,
    topic: string,
    groupId: string,
    slowRunId: string,
    gate: () => Promise<void>,
    results: RunResult[],
    slowStarted: () => void = () => undefined,
  ): KafkaRunConsumer {
    const slowed = (inner: RunStarter): RunStarter => ({
      orderingKey: (message) => inner.orderingKey?.(message),
      start: async (message, source) => {
        if (
          Buffer.from(message as Uint8Array)
            .toString()
            .includes(slowRunId)
        ) {
          slowStarted();
          await gate();
        }
        const begun = await inner.start(message, source);
        return { mayOverlap: begun.mayOverlap, done: begun.done.then((result) => (results.push(result), result)) };
      },
    });
    const created = runConsumer(runner, { brokers, topic, groupId, ssl: false }, new RecordingLogger(), {
      tuning: { fromBeginning: true, consumerConfig: MOCK_CONSUMER_TUNING },
      runner: FAST_RETRIES,
      starter: slowed,
    });
    consumers.push(created);
    return created;
  }

  const runIdOf = (result: RunResult): string | undefined => ('runId' in result ? result.runId : undefined);

  it('runs produced after a slow run (same partition, other keys) complete while it still runs', async function () {
    const topic = uniqueName('org_it.runs');
    const slow = `run_slow_${uniqueName('h')}`;
    const others = [0, 1, 2].map((i) => `run_after_${i}_${uniqueName('h')}`);
    await producer.send(topic, [{ key: 'slow-key', value: JSON.stringify(tutorialMessage(slow, vm(slow))), partition: 0 }]);

    let slowStartedAt: number | undefined;
    let slowDoneAt: number | undefined;
    const results: RunResult[] = [];
    const fiveSeconds = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      slowDoneAt = Date.now();
    };
    await started(consumer(container(), topic, uniqueName('org_it.hol'), slow, fiveSeconds, results, () => (slowStartedAt = Date.now())));
    await fake.waitFor('the slow run started', () => slowStartedAt !== undefined, 30_000);

    // Produced only now: kafkajs delivers them in a later batch than the slow run's.
    await producer.send(
      topic,
      others.map((runId, i) => ({ key: `other-${i}`, value: JSON.stringify(tutorialMessage(runId, vm(runId))), partition: 0 })),
    );
    await fake.waitFor('the later runs reported', () => others.every((runId) => fake.runs.get(runId)?.status === 'SUCCESS'), 30_000);
    expect(slowDoneAt, 'the later runs completed while the slow one was still running').to.equal(undefined);

    await fake.waitFor('the slow run done', () => results.length >= 4, 30_000);
    expect(fake.runs.get(slow)?.status).to.equal('SUCCESS');
    expect(results.map(runIdOf)).to.deep.equal([...others, slow]);
  });

  it('after a crash with the slow run in flight, a restart redelivers it and does not run the reported ones again', async function () {
    const { client, ledger } = await runLedgerTable();

    const topic = uniqueName('org_it.runs');
    const groupId = uniqueName('org_it.hol-crash');
    const slow = `run_slow_${uniqueName('c')}`;
    const others = [0, 1, 2].map((i) => `run_after_${i}_${uniqueName('c')}`);
    await producer.send(topic, [{ key: 'slow-key', value: JSON.stringify(tutorialMessage(slow, vm(slow))), partition: 0 }]);

    // The first process never lets the slow run through: it dies with it in flight.
    let release!: (error: Error) => void;
    const never = new Promise<void>((_, reject) => (release = reject));
    never.catch(() => undefined);
    cleanups.push(() => release(new GateClosed()));
    let slowStarted = false;
    const firstResults: RunResult[] = [];
    const first = await started(
      consumer(
        container(ledger()),
        topic,
        groupId,
        slow,
        () => never,
        firstResults,
        () => (slowStarted = true),
      ),
    );
    await fake.waitFor('the slow run started', () => slowStarted, 30_000);
    await producer.send(
      topic,
      others.map((runId, i) => ({ key: `other-${i}`, value: JSON.stringify(tutorialMessage(runId, vm(runId))), partition: 0 })),
    );
    await fake.waitFor('the later runs reported', () => firstResults.length >= 3, 30_000);
    expect(firstResults.map(runIdOf)).to.have.members(others);
    for (const runId of others) expect(fake.runs.get(runId)?.status, runId).to.equal('SUCCESS');

    // The crash: the kafkajs consumer goes away at once, without the graceful wait for the slow run.
    await (first as unknown as { consumer: Consumer }).consumer.disconnect();

    const secondResults: RunResult[] = [];
    await started(consumer(container(ledger()), topic, groupId, 'no-slow-run-here', () => Promise.resolve(), secondResults));
    await fake.waitFor('the slow run reported', () => fake.runs.get(slow)?.status === 'SUCCESS', 30_000);
    await fake.waitFor('the later runs redelivered', () => secondResults.length >= 4, 30_000);

    // Redelivered from the slow run's offset (nothing past it was committed): the slow run runs, the others are only recognised.
    expect(secondResults.map((r) => [r.kind, runIdOf(r)])).to.have.deep.members([
      ['completed', slow],
      ...others.map((runId) => ['duplicate', runId]),
    ]);
    for (const runId of [slow, ...others]) {
      expect(fake.runs.get(runId)?.patches, `${runId} reported once`).to.equal(1);
      expect(fake.runs.get(runId)?.logs, `${runId} handled once`).to.have.length(2);
    }
    client.destroy();
  });
});
