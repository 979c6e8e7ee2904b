import { expect } from 'chai';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { RunCancellation } from '../../../src/application/runs/RunCancellation.js';
import { ActionExecutor } from '../../../src/application/runs/ActionExecutor.js';
import { ActionRun } from '../../../src/domain/runs/ActionRun.js';
import { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { runnerFixture } from './support.js';
import { runMessage } from '../examples/exampleRun.js';

/** A handler that waits until its signal is aborted (or forever, when it ignores it). */
function hanging(action: string, honoursSignal: boolean, seen: { signal?: AbortSignal }): ActionHandler {
  return {
    action,
    handle: (_run, ctx) => {
      seen.signal = ctx.signal;
      return new Promise((_, reject) => {
        if (honoursSignal) ctx.signal.addEventListener('abort', () => reject(new Error('aborted by signal')));
      });
    },
  };
}

describe('run limits: HERMES_RUN_TIMEOUT_SECONDS and shutdown (ctx.signal)', () => {
  it('ends a handler that runs too long FAILURE "timed out", aborting its signal', async () => {
    const seen: { signal?: AbortSignal } = {};
    const fixture = runnerFixture({ handlers: () => [hanging('slow_job', false, seen)], settings: { runTimeoutMs: 50 } });
    const result = await fixture.processor.process(
      runMessage({ runId: 'run_t1', action: 'slow_job', operation: 'CREATE', blueprint: 'x' }),
    );
    expect(result.kind).to.equal('completed');
    const run = fixture.port.runs.get('run_t1')!;
    expect(run.status).to.equal('FAILURE');
    expect(run.statusLabel).to.equal('Timed out');
    expect(run.summary).to.equal('slow_job timed out after 50 ms');
    expect(seen.signal?.aborted).to.equal(true);
  });

  it('on shutdown aborts the handler and defers the run (not reported: Kafka redelivers it)', async () => {
    const seen: { signal?: AbortSignal } = {};
    const cancellation = new RunCancellation();
    const executor = new ActionExecutor(new InMemoryPortApi(), { next: () => 'ref' }, new RecordingLogger(), {
      timeoutMs: 60_000,
      shutdown: cancellation.signal,
    });
    const run = new ActionRun({ runId: 'run_t2', action: 'slow_job', inputs: {}, format: 'v1' });
    const executing = executor.execute(run, hanging('slow_job', true, seen), {});
    setTimeout(() => cancellation.abort(), 20);
    const error = await executing.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as Error).name).to.equal('RunAbortedError');
    expect(seen.signal?.aborted).to.equal(true);
  });
});
