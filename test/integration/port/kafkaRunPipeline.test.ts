import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Container } from 'inversify';
import { DynamoRunLedger } from '../../../src/adapters/aws/DynamoRunLedger.js';
import type { KafkaRunConsumer } from '../../../src/adapters/kafka/KafkaRunConsumer.js';
import { KafkaRunProducer } from '../../../src/adapters/kafka/KafkaRunProducer.js';
import { PortApiClient } from '../../../src/adapters/port/PortApiClient.js';
import { SystemClock } from '../../../src/adapters/system/SystemClock.js';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { ActionHandlerRegistry } from '../../../src/application/runs/ActionHandlerRegistry.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import { RUN_TOKENS } from '../../../src/application/runs/tokens.js';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import type { RunConsumerTuning } from '../../../src/entrypoints/runner/createRunConsumer.js';
import { runLedgerTable } from './support/runLedgerTable.js';
import { FAST_RETRIES, runConsumer, started } from './support/runConsumer.js';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';
import { kafkaMockCluster, MOCK_CONSUMER_TUNING, uniqueName } from '../../support/services/index.js';
import { RecordingLogger, tutorialMessage } from '../../unit/runs/support.js';
import type { CrashingRunnerConfig, CrashingRunnerMessage } from './support/crashingRunnerProcess.js';
import { GatedPortApi } from './support/gatedPortApi.js';

async function until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(10);
  }
}

const vm = (title: string) => ({ title, cpu: 1, memory: 2, storage: 10, region: 'eu-west-2' });
const REDELIVERED_REPORTED = 'Skipped a run that was already handled and reported (redelivery)';
const REDELIVERED_HANDLED = 'Reporting the kept outcome of a run handled before (redelivery)';

describe('Kafka runs consumer: reports pipelined behind the next handler (mock cluster, fake Port API)', function () {
  /** Each run got exactly one final status and its handler ran once (its "received" line and its own log line). */
  function expectEachReportedOnce(runIds: readonly string[]): void {
    for (const runId of runIds) {
      expect(fake.runs.get(runId)?.patches, `${runId} reported once`).to.equal(1);
      expect(fake.runs.get(runId)?.logs, `${runId} handled once`).to.have.length(2);
    }
  }

  this.timeout(120_000);
  let brokers: string[];
  let fake: FakePortApi;
  let producer: KafkaRunProducer;
  const consumers: KafkaRunConsumer[] = [];
  const children: ChildProcess[] = [];

  before(async function () {
    brokers = (await kafkaMockCluster()).brokers;
    fake = await startFakePortApi();
    producer = new KafkaRunProducer({ brokers, clientId: 'it-pipeline-producer', ssl: false }, new RecordingLogger());
    await producer.connect();
  });

  afterEach(async function () {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });

  after(async function () {
    await producer?.disconnect();
    const violations = fake?.violations ?? [];
    await fake?.stop();
    // Every request the runner sent fits Port's request schemas.
    expect(violations).to.deep.equal([]);
  });

  function gatedPort(): GatedPortApi {
    return new GatedPortApi(new PortApiClient({ baseUrl: fake.url, credentials: async () => fake.credentials }));
  }

  interface RunnerParts {
    readonly port: GatedPortApi;
    readonly logger?: RecordingLogger;
    readonly ledger?: RunLedger;
    readonly handlers?: ActionHandler[];
  }

  function runner(parts: RunnerParts): Container {
    const values: Array<readonly [symbol, unknown]> = [[RUN_TOKENS.PortApi, parts.port]];
    if (parts.logger) values.push([SHARED_TOKENS.Logger, parts.logger]);
    if (parts.ledger) values.push([RUN_TOKENS.RunLedger, parts.ledger]);
    if (parts.handlers) values.push([RUN_TOKENS.ActionHandlerRegistry, new ActionHandlerRegistry(parts.handlers)]);
    return buildContainer('memory', { env: { PORT_API_URL: fake.url, PORT_ORG_ID: 'org_it' }, values });
  }

  /** The production consumer (createRunConsumer) of `topic`, started. */
  async function startConsumer(
    container: Container,
    topic: string,
    groupId: string,
    tuning: RunConsumerTuning = {},
  ): Promise<KafkaRunConsumer> {
    const consumer = runConsumer(container, { brokers, topic, groupId, ssl: false }, new RecordingLogger(), {
      tuning: { fromBeginning: true, consumerConfig: MOCK_CONSUMER_TUNING, ...tuning },
      runner: FAST_RETRIES,
    });
    consumers.push(consumer);
    return started(consumer);
  }

  /** `count` runs produced with one key, so they share a partition, in this order. */
  async function produceRuns(topic: string, prefix: string, count: number, key = 'one-key'): Promise<string[]> {
    const runIds = Array.from({ length: count }, (_, i) => `run_${prefix}_${i}_${uniqueName('x')}`);
    await producer.send(
      topic,
      runIds.map((runId) => ({ key, value: JSON.stringify(tutorialMessage(runId, vm(runId))) })),
    );
    return runIds;
  }

  const lines = (logger: RecordingLogger, message: string) =>
    logger.lines.filter((line) => line.message === message).map((line) => String(line.attributes['runId']));

  it('runs the handlers of a partition one at a time, in order, while earlier reports are in flight', async function () {
    const topic = uniqueName('org_it.runs');
    const events: string[] = [];
    const recorder: ActionHandler = {
      action: 'create_vm',
      operations: ['CREATE'],
      handle: async (run) => {
        events.push(`start ${run.runId}`);
        await sleep(5);
        events.push(`end ${run.runId}`);
        return { summary: 'recorded' };
      },
    };
    const port = gatedPort();
    port.beforeReport = () => sleep(40);
    port.afterReport = (runId) => events.push(`reported ${runId}`);
    const a = await produceRuns(topic, 'order_a', 8, 'key-a');
    const b = await produceRuns(topic, 'order_b', 8, 'key-b');
    await startConsumer(runner({ port, handlers: [recorder] }), topic, uniqueName('org_it.order'));
    await fake.waitFor('16 runs reported', () => [...a, ...b].every((runId) => fake.runs.get(runId)?.status === 'SUCCESS'), 30_000);

    for (const runIds of [a, b]) {
      const mine = events.filter((event) => runIds.some((runId) => event.endsWith(` ${runId}`)));
      const handlerEvents = mine.filter((event) => !event.startsWith('reported '));
      // start r0, end r0, start r1, end r1, ...: never two handlers of the partition at once, in offset order.
      expect(handlerEvents).to.deep.equal(runIds.flatMap((runId) => [`start ${runId}`, `end ${runId}`]));
      // Pipelined: some handler started while the previous run's report was still in flight.
      const overlapped = runIds.slice(1).some((runId, i) => mine.indexOf(`start ${runId}`) < mine.indexOf(`reported ${runIds[i]}`));
      expect(overlapped, 'a handler overlapped the previous report').to.equal(true);
    }
    for (const runId of [...a, ...b]) expect(fake.runs.get(runId)?.patches, runId).to.equal(1);
  });

  it('retries a report that failed transiently without running any handler again', async function () {
    const topic = uniqueName('org_it.runs');
    const runIds = await produceRuns(topic, 'flaky', 6);
    const port = gatedPort();
    let failed = false;
    // The status of run 1 fails once, after the next runs had time to be handled (and reported).
    port.beforeReport = async (runId) => {
      if (runId !== runIds[1] || failed) return;
      failed = true;
      await until('run 3 reported', () => fake.runs.get(runIds[3]!)?.status === 'SUCCESS', 10_000);
      throw new PortUnavailableError('update the run', 503, 'injected');
    };
    const logger = new RecordingLogger();
    const upsertsBefore = fake.count('upsertEntity');
    await startConsumer(runner({ port, logger }), topic, uniqueName('org_it.flaky'));
    await fake.waitFor('every run reported', () => runIds.every((runId) => fake.runs.get(runId)?.status === 'SUCCESS'), 30_000);
    await until('the redelivered runs skipped', () => lines(logger, REDELIVERED_REPORTED).length >= 2, 10_000);

    expect(failed).to.equal(true);
    expect(fake.count('upsertEntity') - upsertsBefore, 'one handler run per run').to.equal(runIds.length);
    expectEachReportedOnce(runIds);
    // Run 1 was retried from its kept outcome; runs 2 and 3, handled meanwhile, were delivered again and skipped.
    expect(lines(logger, REDELIVERED_HANDLED)).to.deep.equal([runIds[1]]);
    expect(lines(logger, REDELIVERED_REPORTED)).to.include.members([runIds[2], runIds[3]]);
  });

  it('on stop, lets the reports in flight finish and commits them before leaving the group', async function () {
    const topic = uniqueName('org_it.runs');
    const groupId = uniqueName('org_it.stop');
    const runIds = await produceRuns(topic, 'stop', 8);
    const port = gatedPort();
    port.beforeReport = () => sleep(300);
    const first = await startConsumer(runner({ port }), topic, groupId);
    await until('two reports in flight', () => port.reportsStarted.length >= 2);
    await first.stop();

    const handled = [...port.reportsStarted];
    expect(handled.length).to.be.below(runIds.length);
    for (const runId of handled) expect(fake.runs.get(runId)?.status, `${runId} reported before stop resolved`).to.equal('SUCCESS');
    const callsAtStop = fake.calls.length;
    await sleep(400);
    expect(fake.calls.length, 'no Port call after stop').to.equal(callsAtStop);

    // A fresh process (its own in-memory ledger) gets only what was not committed: nothing runs twice.
    const logger = new RecordingLogger();
    await startConsumer(runner({ port: gatedPort(), logger }), topic, groupId);
    await fake.waitFor('every run reported', () => runIds.every((runId) => fake.runs.get(runId)?.status === 'SUCCESS'), 30_000);
    expectEachReportedOnce(runIds);
  });

  it('after a crash with runs handled but not reported, a restart reports them without running a handler twice', async function () {
    const { ddb, client, table } = await runLedgerTable();

    const topic = uniqueName('org_it.runs');
    const groupId = uniqueName('org_it.crash');
    const runIds = await produceRuns(topic, 'crash', 8);
    const upsertsBefore = fake.count('upsertEntity');

    // The first runner, in its own process: run 3's status never leaves it; runs 4..7 are reported.
    const config: CrashingRunnerConfig = {
      brokers,
      topic,
      groupId,
      portUrl: fake.url,
      credentials: fake.credentials,
      dynamo: ddb,
      table,
      holdRunId: runIds[3]!,
    };
    const reporting: string[] = [];
    const child = fork(fileURLToPath(new URL('./support/crashingRunnerProcess.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, HERMES_TEST_CRASHING_RUNNER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    child.on('message', (message: CrashingRunnerMessage) => {
      if (message.type === 'reporting') reporting.push(message.runId);
    });
    await until('every handler ran in the first runner', () => reporting.length === runIds.length, 60_000);
    await fake.waitFor(
      'the other runs reported',
      () => runIds.every((runId, i) => i === 3 || fake.runs.get(runId)?.status === 'SUCCESS'),
      10_000,
    );
    // Killed once the ledger knows runs 4..7 are reported (a kill between Port's answer and the ledger write would report one twice).
    const documents = DynamoDBDocumentClient.from(client);
    const stateOf = async (runId: string): Promise<unknown> =>
      (await documents.send(new GetCommand({ TableName: table, Key: { run_id: runId } }))).Item?.['state'];
    const deadline = Date.now() + 10_000;
    while ((await Promise.all(runIds.slice(4).map(stateOf))).some((state) => state !== 'reported')) {
      if (Date.now() > deadline) throw new Error('runs 4..7 not marked reported in the ledger');
      await sleep(20);
    }
    expect(await stateOf(runIds[3]!)).to.equal('handled');
    expect(reporting).to.deep.equal(runIds);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(fake.runs.get(runIds[3]!)?.status, 'run 3 not reported by the dead runner').to.equal(undefined);
    // The dead member leaves the group when its session times out; joining after that avoids a second rebalance.
    await sleep(MOCK_CONSUMER_TUNING.sessionTimeout + 500);

    const logger = new RecordingLogger();
    const ledger = new DynamoRunLedger(documents, table, new SystemClock());
    await startConsumer(runner({ port: gatedPort(), logger, ledger }), topic, groupId);
    await fake.waitFor('run 3 reported', () => fake.runs.get(runIds[3]!)?.status === 'SUCCESS', 60_000);
    const redelivered = () => new Set([...lines(logger, REDELIVERED_HANDLED), ...lines(logger, REDELIVERED_REPORTED)]);
    await until('runs 4..7 delivered again', () => runIds.slice(4).every((runId) => redelivered().has(runId)), 30_000);

    // Offsets were committed through run 2 only (run 3 never completed): 3..7 came back, 0..2 did not.
    expect(lines(logger, REDELIVERED_HANDLED)).to.deep.equal([runIds[3]]);
    expect([...redelivered()].sort()).to.deep.equal(runIds.slice(3).sort());
    expect(fake.count('upsertEntity') - upsertsBefore, 'one handler run per run').to.equal(runIds.length);
    for (const runId of runIds) expect(fake.runs.get(runId)?.status, runId).to.equal('SUCCESS');
    expectEachReportedOnce(runIds);
    client.destroy();
  });
  it('issue 10 item 1: a run produced to a partition without a committed offset survives a crash before the first commit', async function () {
    const { ddb, client, table } = await runLedgerTable();
    const topic = uniqueName('org_it.runs');
    const groupId = uniqueName('org_it.first');
    // Creates the topic; the group has never committed anything.
    await produceRuns(topic, 'warmup', 0);
    const runId = `run_first_${uniqueName('f')}`;

    // A runner starting at the latest offset (Port's LATEST) in its own process; the run's status never leaves it.
    const config: CrashingRunnerConfig = {
      brokers,
      topic,
      groupId,
      portUrl: fake.url,
      credentials: fake.credentials,
      dynamo: ddb,
      table,
      holdRunId: runId,
      fromBeginning: false,
    };
    const seen: CrashingRunnerMessage[] = [];
    const child = fork(fileURLToPath(new URL('./support/crashingRunnerProcess.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, HERMES_TEST_CRASHING_RUNNER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    child.on('message', (message: CrashingRunnerMessage) => seen.push(message));
    await until('the first runner joined', () => seen.some((m) => m.type === 'started'), 60_000);
    await sleep(500);
    await producer.send(topic, [{ key: runId, value: JSON.stringify(tutorialMessage(runId, vm(runId))) }]);
    await until('the run handled by the first runner', () => seen.some((m) => m.type === 'reporting' && m.runId === runId), 30_000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(fake.runs.get(runId)?.status).to.equal(undefined);
    await sleep(MOCK_CONSUMER_TUNING.sessionTimeout + 500);

    // Restarted the same way (latest offset for a group without commits): the run must come back.
    const ledger = new DynamoRunLedger(DynamoDBDocumentClient.from(client), table, new SystemClock());
    await startConsumer(runner({ port: gatedPort(), ledger }), topic, groupId, { fromBeginning: false });
    await fake.waitFor('the run reported after the restart', () => fake.runs.get(runId)?.status === 'SUCCESS', 60_000);
    client.destroy();
  });
});
