import { expect } from 'chai';
import type { SelfManagedKafkaEvent, SelfManagedKafkaRecord } from 'aws-lambda';
import type { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { PORT_RUNNER_TOKENS } from '../../../src/entrypoints/di/portRunnerModule.js';
import { ActionRunnerBatchError, createActionRunnerHandler } from '../../../src/entrypoints/lambda/handlers/actionRunner.js';
import { tutorialMessage } from './support.js';
import { handlerDeps } from '../../support/handlerDeps.js';

const TOPIC = 'org_test.runs';

function record(partition: number, offset: number, message: unknown): SelfManagedKafkaRecord {
  const value = typeof message === 'string' ? message : JSON.stringify(message);
  return {
    topic: TOPIC,
    partition,
    offset,
    timestamp: Date.now(),
    timestampType: 'CREATE_TIME',
    key: Buffer.from(`k${offset}`).toString('base64'),
    value: Buffer.from(value).toString('base64'),
    headers: [],
  };
}

function event(...records: SelfManagedKafkaRecord[]): SelfManagedKafkaEvent {
  const grouped: Record<string, SelfManagedKafkaRecord[]> = {};
  for (const r of records) (grouped[`${r.topic}-${r.partition}`] ??= []).push(r);
  return { eventSource: 'SelfManagedKafka', bootstrapServers: 'b-1:9096', records: grouped };
}

const vm = (title: string) => ({ title, cpu: 1, memory: 2, storage: 10, region: 'us-west-1' });

function setup() {
  const container = buildContainer('memory', { env: { PORT_ORG_ID: 'org_test' } });
  const handler = createActionRunnerHandler(handlerDeps(container));
  const port = container.get<InMemoryPortApi>(PORT_RUNNER_TOKENS.PortAdapter);
  return { handler, port };
}

describe('action-runner Lambda handler (self-managed Kafka event)', () => {
  it('handles every record of every partition; a non-CREATE or invalid record does not drop the rest', async () => {
    const { handler, port } = setup();
    const summary = await handler(
      event(
        record(0, 10, tutorialMessage('run_p0_a', vm('p0 a'))),
        record(0, 11, tutorialMessage('run_p0_b', vm('p0 b'), 'DAY-2')),
        record(0, 12, 'garbage'),
        record(0, 13, tutorialMessage('run_p0_c', vm('p0 c'))),
        record(1, 4, tutorialMessage('run_p1_a', vm('p1 a'))),
      ),
    );
    expect(summary).to.deep.equal({ records: 5, completed: 3, skipped: 2, duplicates: 0 });
    for (const runId of ['run_p0_a', 'run_p0_c', 'run_p1_a']) expect(port.runs.get(runId)?.status, runId).to.equal('SUCCESS');
    expect(port.runs.has('run_p0_b')).to.equal(false);
  });

  it('reports a permanent failure to Port and does not fail the invocation', async () => {
    const { handler, port } = setup();
    const summary = await handler(
      event(record(0, 1, tutorialMessage('run_bad', { cpu: 'many' })), record(0, 2, tutorialMessage('run_ok', vm('ok')))),
    );
    expect(summary.completed).to.equal(2);
    expect(port.runs.get('run_bad')?.status).to.equal('FAILURE');
    expect(port.runs.get('run_ok')?.status).to.equal('SUCCESS');
  });

  it('fails the invocation on a retryable failure; the retried batch skips what was already done', async () => {
    // Runs of other keys (here every record has its own Kafka key) run beside the failing one (HERMES_RUN_CONCURRENCY):
    // run_r3 completes although run_r2, before it, must be retried; the retry reports run_r2 and skips the rest.
    const { handler, port } = setup();
    const batch = event(
      record(0, 1, tutorialMessage('run_r1', vm('r1'))),
      record(0, 2, tutorialMessage('run_r2', vm('r2'))),
      record(0, 3, tutorialMessage('run_r3', vm('r3'))),
      record(1, 1, tutorialMessage('run_r4', vm('r4'))),
    );
    // The second record's entity upsert finds Port unavailable (after the client's own retries).
    let upserts = 0;
    const upsert = port.upsertEntity.bind(port);
    port.upsertEntity = async (...args) => {
      upserts += 1;
      if (args[1].identifier === 'r2' && upserts <= 3) throw new PortUnavailableError('upsert entity', 503, 'HTTP 503');
      return upsert(...args);
    };

    const error = await handler(batch).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(ActionRunnerBatchError);
    expect((error as ActionRunnerBatchError).failed).to.deep.equal([{ topic: TOPIC, partition: 0, offset: 2 }]);
    expect(port.runs.get('run_r1')?.status).to.equal('SUCCESS');
    expect(port.runs.get('run_r2')?.status ?? 'IN_PROGRESS').to.equal('IN_PROGRESS');
    expect(port.runs.get('run_r3')?.status).to.equal('SUCCESS');
    expect(port.runs.get('run_r4')?.status).to.equal('SUCCESS');

    const retried = await handler(batch);
    expect(retried).to.deep.equal({ records: 4, completed: 1, skipped: 0, duplicates: 3 });
    for (const runId of ['run_r1', 'run_r2', 'run_r3', 'run_r4']) {
      expect(port.runs.get(runId)?.status, runId).to.equal('SUCCESS');
      expect(port.runs.get(runId)?.updates, runId).to.have.length(1);
    }
  });
});
