import { expect } from 'chai';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { PartitionRunner, type RunRecord } from '../../../src/application/runs/PartitionRunner.js';
import { runMessage } from '../examples/exampleRun.js';
import type { RunStarter } from '../../../src/application/runs/RunProcessor.js';
import { RecordingLogger, runnerFixture } from './support.js';

/** A handler whose runs wait for `release(runId)`; `events` records starts and ends. */
function gatedHandler(): { handler: ActionHandler; events: string[]; release: (runId: string) => void } {
  const events: string[] = [];
  const gates = new Map<string, () => void>();
  const waiting = new Map<string, Promise<void>>();
  const gateOf = (runId: string): Promise<void> => {
    let promise = waiting.get(runId);
    if (promise === undefined) {
      promise = new Promise<void>((resolve) => gates.set(runId, resolve));
      waiting.set(runId, promise);
    }
    return promise;
  };
  return {
    events,
    release: (runId) => {
      void gateOf(runId);
      gates.get(runId)!();
    },
    handler: {
      action: 'job',
      handle: async (run) => {
        events.push(`start ${run.runId}`);
        await gateOf(run.runId);
        events.push(`end ${run.runId}`);
        return {};
      },
    },
  };
}

function record(offset: number, runId: string, entity: string | undefined, key?: string): RunRecord {
  return {
    topic: 'org_test.runs',
    partition: 0,
    offset: String(offset),
    ...(key !== undefined && { key: Buffer.from(key) }),
    value: runMessage({ runId, action: 'job', operation: 'DAY-2', blueprint: 'service', ...(entity !== undefined && { entity }) }),
  };
}

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('PartitionRunner: ordering keys (Kafka key, else the entity) and HERMES_RUN_CONCURRENCY', () => {
  it('runs of other entities go on while one is slow; runs of one entity wait for each other, in offset order', async () => {
    const gated = gatedHandler();
    const fixture = runnerFixture({ handlers: () => [gated.handler] });
    const commits: string[] = [];
    const runner = new PartitionRunner(fixture.processor, fixture.logger, { concurrency: 16 });
    const running = runner.run([record(0, 'run_a1', 'svc-a'), record(1, 'run_b1', 'svc-b'), record(2, 'run_a2', 'svc-a')], {
      commitThrough: async (offset) => void commits.push(offset),
    });
    await until(() => gated.events.includes('start run_b1'));
    gated.release('run_b1');
    await until(() => fixture.port.runs.get('run_b1')?.status === 'SUCCESS');
    // run_a2 shares svc-a with the slow run_a1: not started; nothing committed past the unreported run_a1.
    expect(gated.events).to.not.include('start run_a2');
    expect(commits).to.deep.equal([]);
    gated.release('run_a1');
    await until(() => gated.events.includes('start run_a2'));
    expect(gated.events.indexOf('start run_a2')).to.be.greaterThan(gated.events.indexOf('end run_a1'));
    gated.release('run_a2');
    expect((await running).kind).to.equal('drained');
    expect(commits.at(-1)).to.equal('2');
  });

  it('the Kafka key wins over the entity: one key, one run at a time', async () => {
    const gated = gatedHandler();
    const fixture = runnerFixture({ handlers: () => [gated.handler] });
    const runner = new PartitionRunner(fixture.processor, fixture.logger, { concurrency: 16 });
    const running = runner.run([record(0, 'run_k1', 'svc-a', 'tenant-1'), record(1, 'run_k2', 'svc-b', 'tenant-1')]);
    await until(() => gated.events.includes('start run_k1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gated.events).to.deep.equal(['start run_k1']);
    gated.release('run_k1');
    gated.release('run_k2');
    expect((await running).kind).to.equal('drained');
    expect(gated.events).to.deep.equal(['start run_k1', 'end run_k1', 'start run_k2', 'end run_k2']);
  });

  it('with concurrency 1, the strictly ordered design: a slow run holds its whole partition', async () => {
    const gated = gatedHandler();
    const fixture = runnerFixture({ handlers: () => [gated.handler] });
    const runner = new PartitionRunner(fixture.processor, fixture.logger, { concurrency: 1 });
    const running = runner.run([record(0, 'run_o1', 'svc-a'), record(1, 'run_o2', 'svc-b')]);
    await until(() => gated.events.includes('start run_o1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gated.events).to.deep.equal(['start run_o1']);
    gated.release('run_o1');
    gated.release('run_o2');
    expect((await running).kind).to.equal('drained');
  });
});

/** Runs whose handlers end at once and whose reports wait for `finish()`: what piles up when Port answers slowly. */
function slowReports(): { starter: RunStarter; started: () => number; finish: () => void } {
  let count = 0;
  let finish!: () => void;
  const reported = new Promise<void>((resolve) => (finish = resolve));
  return {
    started: () => count,
    finish: () => finish(),
    starter: {
      start: async () => {
        count += 1;
        return { mayOverlap: true, done: reported.then(() => ({ kind: 'skipped', reason: 'invalid-message' }) as const) };
      },
    },
  };
}

const plainRecords = (count: number): RunRecord[] =>
  Array.from({ length: count }, (_, i) => ({ topic: 'org_test.runs', partition: 0, offset: String(i), value: `run ${i}` }));

describe('PartitionRunner: what it keeps in flight', () => {
  it('keeps two reports in flight per handler slot, so reports as slow as handlers do not stop new handlers', async () => {
    const reports = slowReports();
    const runner = new PartitionRunner(reports.starter, new RecordingLogger(), { concurrency: 8 });
    const running = runner.run(plainRecords(100));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Twice as many reports in flight as handler slots; then no handler starts until a report lands.
    expect(reports.started()).to.equal(16);
    reports.finish();
    expect((await running).kind).to.equal('drained');
    expect(reports.started()).to.equal(100);
  });

  it('queues four records per handler slot before an offer holds the Kafka client back', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Handlers that run until released: every record past the two running ones waits to start.
    const starter: RunStarter = {
      start: async () => {
        await released;
        return { mayOverlap: true, done: Promise.resolve({ kind: 'skipped', reason: 'invalid-message' } as const) };
      },
    };
    const session = new PartitionRunner(starter, new RecordingLogger(), { concurrency: 2 }).open();
    // 2 running, 8 waiting: fits.
    expect(await session.offer(plainRecords(10))).to.equal(true);
    let accepted = false;
    const offered = session.offer([{ topic: 'org_test.runs', partition: 0, offset: '10', value: 'run 10' }]).then((ok) => (accepted = ok));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(accepted, 'a ninth record waiting must wait for a place').to.equal(false);
    release();
    await offered;
    expect(accepted).to.equal(true);
    expect((await session.close()).kind).to.equal('drained');
  });
});
