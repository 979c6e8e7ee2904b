import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartitionRunner, type RunRecord } from '../../../src/application/runs/PartitionRunner.js';
import { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import type { RunUpdate } from '../../../src/application/runs/ports/PortApi.js';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import type { RunOutcome } from '../../../src/domain/runs/RunOutcome.js';
import { runnerFixture, tutorialMessage, type RunnerFixture } from './support.js';

/** An in-memory Port whose run status updates take a while, as over the network. */
class SlowStatusPortApi extends InMemoryPortApi {
  constructor(private readonly statusMs: number) {
    super();
  }

  override async updateRun(runId: string, update: RunUpdate): Promise<void> {
    await sleep(this.statusMs);
    await super.updateRun(runId, update);
  }
}

/** A handler that counts its runs per run id and records when each starts and ends. */
function countingHandler(events: string[], runs: Map<string, number>, ms = 2): ActionHandler {
  return {
    action: 'create_vm',
    operations: ['CREATE'],
    handle: async (run) => {
      runs.set(run.runId, (runs.get(run.runId) ?? 0) + 1);
      events.push(`start ${run.runId}`);
      await sleep(ms);
      events.push(`end ${run.runId}`);
      return { summary: 'done' };
    },
  };
}

const message = (runId: string) => JSON.stringify(tutorialMessage(runId));

describe('RunProcessor.start: when the next run of a partition may start', () => {
  it('resolves once the outcome is in the ledger, before the status goes to Port', async () => {
    const fixture = runnerFixture({ port: new SlowStatusPortApi(20) });
    const ledger = fixture.ledger as InMemoryRunLedger;
    const started = await fixture.processor.start(message('run_sig'));
    expect(started.mayOverlap).to.equal(true);
    expect({ ledger: ledger.stateOf('run_sig'), status: fixture.port.runs.get('run_sig')?.status }).to.deep.equal({
      ledger: 'handled',
      status: 'IN_PROGRESS',
    });
    await started.done;
    expect(fixture.port.runs.get('run_sig')?.status).to.equal('SUCCESS');
  });

  it('lets a redelivered run whose outcome was kept overlap (only its report is left)', async () => {
    const fixture = runnerFixture();
    fixture.port.failNext('updateRun', () => new PortUnavailableError('update run', 503, 'HTTP 503'));
    const first = await fixture.processor.start(message('run_kept'));
    expect(first.mayOverlap).to.equal(true);
    await first.done.catch(() => undefined);
    const second = await fixture.processor.start(message('run_kept'));
    expect(second.mayOverlap).to.equal(true);
    await second.done;
    expect(fixture.port.calls.upsertEntity).to.equal(1);
  });

  it('rejects for a deferred handler, and does not overlap when the outcome could not be recorded', async () => {
    const fixture = runnerFixture();
    fixture.port.failNext('upsertEntity', () => new PortUnavailableError('upsert entity', 503, 'HTTP 503'));
    const deferred = await fixture.processor.start(message('run_deferred')).then(
      () => false,
      () => true,
    );
    expect(deferred).to.equal(true);

    const forgetful = runnerFixture({
      ledger: (clock) => {
        const inner = new InMemoryRunLedger(clock);
        const ledger: RunLedger = {
          claim: (runId, claimId, leaseMs) => inner.claim(runId, claimId, leaseMs),
          markHandled: async (_runId: string, _claimId: string, _outcome: RunOutcome) => {
            throw new Error('DynamoDB unavailable');
          },
          markReported: (runId) => inner.markReported(runId),
          release: (runId, claimId) => inner.release(runId, claimId),
        };
        return ledger;
      },
    });
    const started = await forgetful.processor.start(message('run_unrecorded'));
    expect(started.mayOverlap).to.equal(false);
    expect((await started.done).kind).to.equal('completed');
  });
});

describe('PartitionRunner (a Kafka partition, redelivered as kafkajs does)', () => {
  function records(runIds: readonly string[]): RunRecord[] {
    return runIds.map((runId, i) => ({ topic: 't', partition: 0, offset: String(i), value: Buffer.from(message(runId)) }));
  }

  /** Consumes `all` like the Kafka consumer: a retry starts again from the failed record; returns the commits of each pass. */
  async function consume(fixture: RunnerFixture, all: readonly RunRecord[]): Promise<string[][]> {
    const passes: string[][] = [];
    let from = 0;
    for (;;) {
      const commits: string[] = [];
      passes.push(commits);
      const runner = new PartitionRunner(fixture.processor, fixture.logger, { concurrency: 1, maxReportsInFlight: 8 });
      const end = await runner.run(all.slice(from), {
        commitThrough: async (offset) => {
          commits.push(offset);
        },
      });
      if (end.kind !== 'retry') return passes;
      from = Number(end.record.offset);
    }
  }

  it('overlaps reports with the next handlers, never two handlers at once, in offset order', async () => {
    const events: string[] = [];
    const handlerRuns = new Map<string, number>();
    const fixture = runnerFixture({ port: new SlowStatusPortApi(15), handlers: () => [countingHandler(events, handlerRuns)] });
    const runIds = Array.from({ length: 6 }, (_, i) => `run_p${i}`);
    const passes = await consume(fixture, records(runIds));

    expect(passes).to.have.length(1);
    expect(passes[0]?.at(-1)).to.equal('5');
    expect(events).to.deep.equal(runIds.flatMap((runId) => [`start ${runId}`, `end ${runId}`]));
    for (const runId of runIds) expect(fixture.port.runs.get(runId)?.status, runId).to.equal('SUCCESS');
  });

  it('retries a transiently failed report from its record without running any handler twice', async () => {
    const events: string[] = [];
    const handlerRuns = new Map<string, number>();
    const port = new SlowStatusPortApi(15);
    // The first status update (run 0's) fails after its 15 ms; runs 1.. are handled meanwhile.
    port.failNext('updateRun', () => new PortUnavailableError('update run', 503, 'HTTP 503'));
    const fixture = runnerFixture({ port, handlers: () => [countingHandler(events, handlerRuns)] });
    const runIds = Array.from({ length: 8 }, (_, i) => `run_r${i}`);
    const passes = await consume(fixture, records(runIds));

    expect(passes).to.have.length(2);
    // Runs after run 0 completed in the first pass, yet nothing was committed past run 0, which had not.
    expect(passes[0]).to.deep.equal([]);
    expect(passes[1]?.at(-1)).to.equal('7');
    for (const runId of runIds) {
      expect(handlerRuns.get(runId), `${runId} handled once`).to.equal(1);
      expect(fixture.port.runs.get(runId)?.status, runId).to.equal('SUCCESS');
      expect(fixture.port.runs.get(runId)?.updates, `${runId} reported once`).to.have.length(1);
    }
    expect(
      fixture.logger.lines.filter((l) => l.message.startsWith('Skipped a run that was already handled and reported')).length,
    ).to.be.greaterThan(0);
  });
});

describe('A run delivered twice in one partition', () => {
  it('gets one final status PATCH and one entity upsert, even back to back while the first copy is still reporting', async () => {
    const port = new SlowStatusPortApi(25);
    const fixture = runnerFixture({ port });
    const twice = ['run_dup', 'run_dup', 'run_other', 'run_dup'].map((runId, i) => ({
      topic: 't',
      partition: 0,
      offset: String(i),
      value: Buffer.from(message(runId)),
    }));
    const runner = new PartitionRunner(fixture.processor, fixture.logger, { concurrency: 1, maxReportsInFlight: 8 });
    const end = await runner.run(twice);

    expect(end.kind).to.equal('drained');
    const finalPatches = port.runs.get('run_dup')?.updates.filter((update) => update.status !== undefined);
    expect(finalPatches).to.have.length(1);
    // One upsert per distinct run (run_dup, run_other).
    expect(port.calls.upsertEntity).to.equal(2);
    expect(end.results.map((result) => result.kind)).to.deep.equal(['completed', 'duplicate', 'completed', 'duplicate']);
  });
});
