import { expect } from 'chai';
import type { ActionHandler, ActionHandlerResult } from '../../../src/application/runs/ActionHandler.js';
import { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import type { TerminalRunStatus } from '../../../src/domain/runs/RunStatus.js';
import { runnerFixture, tutorialMessage } from './support.js';

/** A create_vm stand-in that logs `lines` and returns `result` (or throws `fails`). */
function handler(options: { endsWithLogLine: boolean; result?: ActionHandlerResult; fails?: Error }): ActionHandler {
  return {
    action: 'create_vm',
    endsWithLogLine: options.endsWithLogLine,
    handle: async (_run, context) => {
      context.log('step 1');
      context.log('all done');
      if (options.fails) throw options.fails;
      return options.result ?? {};
    },
  };
}

async function runOnce(h: ActionHandler, runId = 'run_final') {
  const fixture = runnerFixture({ handlers: () => [h] });
  const result = await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage(runId)) });
  const run = fixture.port.runs.get(runId);
  return { fixture, result, run, calls: fixture.port.calls.addRunLog + fixture.port.calls.updateRun };
}

describe('The final log line and the terminal status in one call (terminationStatus)', () => {
  it('ends a run that needs no summary or link with its last log line: no PATCH, one call fewer', async () => {
    const merged = await runOnce(handler({ endsWithLogLine: true }));
    expect(merged.result.kind).to.equal('completed');
    expect(merged.run).to.deep.include({ status: 'SUCCESS', terminations: 1 });
    expect(merged.run?.updates).to.deep.equal([]);
    expect(merged.run?.logs.at(-1)).to.equal('all done');
    expect(merged.run?.logs).to.have.members(['hermes received run run_final: executing create_vm', 'step 1', 'all done']);

    const separate = await runOnce(handler({ endsWithLogLine: false }));
    expect(separate.run).to.deep.include({ status: 'SUCCESS', terminations: 0 });
    expect(separate.run?.updates).to.deep.equal([{ status: 'SUCCESS' }]);
    // received, step 1, all done + PATCH (4) against received, step 1, all done with the status (3).
    expect({ merged: merged.calls, separate: separate.calls }).to.deep.equal({ merged: 3, separate: 4 });
  });

  it('keeps the PATCH when the result sets a status label, a summary or a link, the last line sent as a line', async () => {
    for (const result of [{ statusLabel: 'Deploying' }, { summary: 'made it' }, { link: ['https://app.example/x'] }]) {
      const { run } = await runOnce(handler({ endsWithLogLine: true, result }));
      expect(run?.terminations, JSON.stringify(result)).to.equal(0);
      expect(run?.updates, JSON.stringify(result)).to.deep.equal([{ status: 'SUCCESS', ...result }]);
      expect(run?.logs).to.include('all done');
    }
  });

  it('keeps the PATCH of a FAILURE (it always has a summary), the last line still delivered', async () => {
    const { run } = await runOnce(handler({ endsWithLogLine: true, fails: new Error('boom') }));
    expect(run?.status).to.equal('FAILURE');
    expect(run?.terminations).to.equal(0);
    expect(run?.updates).to.have.length(1);
    expect(run?.logs).to.include('all done');
  });

  it('falls back to the PATCH when a redelivery reports a kept outcome (the held line is not kept)', async () => {
    /** Port down for the first line that ends a run. */
    class FirstTerminationFails extends InMemoryPortApi {
      private failed = false;

      override async addRunLog(runId: string, message: string, terminationStatus?: TerminalRunStatus): Promise<void> {
        if (terminationStatus !== undefined && !this.failed) {
          this.failed = true;
          throw new PortUnavailableError('add a log', 503, 'HTTP 503');
        }
        await super.addRunLog(runId, message, terminationStatus);
      }
    }
    const port = new FirstTerminationFails();
    const fixture = runnerFixture({ port, handlers: () => [handler({ endsWithLogLine: true })] });
    const message = JSON.stringify(tutorialMessage('run_kept_line'));
    const first = await fixture.processor.start(message);
    expect(
      await first.done.then(
        () => 'reported',
        () => 'deferred',
      ),
    ).to.equal('deferred');
    const second = await fixture.processor.start(message);
    expect((await second.done).kind).to.equal('completed');
    const run = port.runs.get('run_kept_line');
    expect(run).to.deep.include({ status: 'SUCCESS', terminations: 0 });
    expect(run?.updates).to.deep.equal([{ status: 'SUCCESS' }]);
  });
});

describe('Entity upserts keep what other systems changed (merge=true) unless the handler asks otherwise', () => {
  it('create_vm leaves a property another system set on the entity', async () => {
    const fixture = runnerFixture();
    await fixture.port.upsertEntity('vm', { identifier: 'backend-prod-vm', properties: { owner: 'team-a', cpu_cores: 1 } });
    await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_merge')) });
    expect(fixture.port.entity('vm', 'backend-prod-vm')?.properties).to.include({ owner: 'team-a', cpu_cores: 2 });
  });

  it('replaces the entity when the handler asks for merge: false', async () => {
    const fixture = runnerFixture();
    await fixture.port.upsertEntity('vm', { identifier: 'e', properties: { owner: 'team-a', cpu_cores: 1 } });
    await fixture.port.upsertEntity('vm', { identifier: 'e', properties: { cpu_cores: 2 } }, { merge: false });
    expect(fixture.port.entity('vm', 'e')?.properties).to.deep.equal({ cpu_cores: 2 });
    await fixture.port.upsertEntity('vm', { identifier: 'e', properties: { cpu_cores: 3 } });
    expect(fixture.port.entity('vm', 'e')?.properties).to.deep.equal({ cpu_cores: 3 });
  });
});
