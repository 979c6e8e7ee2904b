import { expect } from 'chai';
import type { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { PortRequestRejectedError } from '../../../src/application/runs/errors/PortRequestRejectedError.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { RunDeferredError } from '../../../src/application/runs/errors/RunDeferredError.js';
import { CreateVmHandler } from '../../../src/application/runs/handlers/CreateVmHandler.js';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import type { RunResult } from '../../../src/application/runs/RunResult.js';
import { runnerFixture, tutorialMessage, type RunnerFixture } from './support.js';

async function deferred(promise: Promise<unknown>): Promise<RunDeferredError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(RunDeferredError);
    return error as RunDeferredError;
  }
  throw new Error('expected the run to be deferred');
}

function completed(result: RunResult): Extract<RunResult, { kind: 'completed' }> {
  expect(result.kind).to.equal('completed');
  return result as Extract<RunResult, { kind: 'completed' }>;
}

/** Runs `messages` one after the other, as a consumer does with a batch. */
async function batch(fixture: RunnerFixture, messages: unknown[]): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const message of messages) results.push(await fixture.handleRun.execute({ message: JSON.stringify(message) }));
  return results;
}

describe('HandleActionRun', () => {
  describe('a create_vm run', () => {
    it('logs "received", streams the handler log, upserts the entity and reports SUCCESS', async () => {
      const fixture = runnerFixture();
      const result = completed(await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_1')) }));

      expect(result.reported).to.equal(true);
      const run = fixture.port.runs.get('run_1');
      expect(run?.logs[0]).to.match(/received run run_1/);
      expect(run?.logs[1]).to.match(/Creating vm entity "backend-prod-vm"/);
      expect(run).to.include({ status: 'SUCCESS', statusLabel: 'Deploying' });
      expect(run?.summary).to.include('backend-prod-vm');
      expect(run?.link).to.deep.equal(['https://app.example/vmEntity?identifier=backend-prod-vm']);
      expect(run?.updates).to.have.length(1);
      expect(fixture.port.entity('vm', 'backend-prod-vm')?.runId).to.equal('run_1');
    });

    it('handles the v2 custom payload the same way', async () => {
      const fixture = runnerFixture();
      const message = {
        action: { identifier: 'create_vm' },
        run: { id: 'run_v2' },
        trigger: { operation: 'CREATE' },
        inputs: { title: 'Batch Worker', cpu: 4, memory: 8, storage: 100, region: 'us-east-1' },
      };
      completed(await fixture.handleRun.execute({ message: JSON.stringify(message) }));
      expect(fixture.port.runs.get('run_v2')?.status).to.equal('SUCCESS');
      expect(fixture.port.entity('vm', 'batch-worker')?.properties).to.include({ cpu_cores: 4, region: 'us-east-1' });
    });

    it('publishes run notifications to the runs room: IN_PROGRESS then SUCCESS', async () => {
      const fixture = runnerFixture();
      await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_n')) });
      const notifications = await fixture.notifications();
      expect(notifications.map((n) => [n.room_id, n.type, n.data['status']])).to.deep.equal([
        ['port-org_test', 'run', 'IN_PROGRESS'],
        ['port-org_test', 'run', 'SUCCESS'],
      ]);
      expect(notifications[1]?.data).to.include({
        runId: 'run_n',
        action: 'create_vm',
        link: 'https://app.example/vmEntity?identifier=backend-prod-vm',
      });
      expect(notifications[1]?.data['summary']).to.be.a('string');
    });

    it('keeps running when the notification cannot be published', async () => {
      const fixture = runnerFixture({ settings: { runsRoom: 'not a valid room!' } });
      completed(await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_room')) }));
      expect(fixture.port.runs.get('run_room')?.status).to.equal('SUCCESS');
      expect(fixture.logger.lines.some((line) => line.message === 'Could not publish the run notification')).to.equal(true);
    });
  });

  describe('routing', () => {
    it('ignores actions it has no handler for, without calling Port', async () => {
      const fixture = runnerFixture();
      const result = await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_x', {}, 'CREATE', 'delete_db')) });
      expect(result).to.include({ kind: 'skipped', reason: 'unknown-action', action: 'delete_db' });
      expect(fixture.port.runs.size).to.equal(0);
    });

    it('ignores actions outside PORT_ACTIONS even when a handler exists', async () => {
      const fixture = runnerFixture({ settings: { allowedActions: new Set(['other_action']) } });
      const result = await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_y')) });
      expect(result).to.include({ kind: 'skipped', reason: 'not-allowed' });
      expect(fixture.port.calls.upsertEntity).to.equal(0);
    });

    it('routes by trigger operation too', async () => {
      const deletes: string[] = [];
      const deleteVm: ActionHandler = {
        action: 'delete_vm',
        operations: ['DELETE'],
        handle: async (run) => {
          deletes.push(run.runId);
          return { summary: 'deleted' };
        },
      };
      const fixture = runnerFixture({ handlers: (port) => [new CreateVmHandler(port), deleteVm] });
      const results = await batch(fixture, [
        tutorialMessage('run_del', {}, 'DELETE', 'delete_vm'),
        tutorialMessage('run_day2', {}, 'DAY-2', 'delete_vm'),
      ]);
      expect(results[0]?.kind).to.equal('completed');
      expect(results[1]).to.include({ kind: 'skipped', reason: 'unsupported-operation' });
      expect(deletes).to.deep.equal(['run_del']);
    });

    it('does not drop the rest of a batch after a non-CREATE message (the tutorial defect)', async () => {
      const fixture = runnerFixture();
      const results = await batch(fixture, [
        tutorialMessage('run_b1', { title: 'one', cpu: 1, memory: 1, storage: 1, region: 'eu-west-1' }),
        tutorialMessage('run_b2', { title: 'two', cpu: 1, memory: 1, storage: 1, region: 'eu-west-1' }, 'DAY-2'),
        tutorialMessage('run_b3', { title: 'three', cpu: 1, memory: 1, storage: 1, region: 'eu-west-1' }),
      ]);
      expect(results.map((r) => r.kind)).to.deep.equal(['completed', 'skipped', 'completed']);
      expect(fixture.port.entity('vm', 'one')).to.not.equal(undefined);
      expect(fixture.port.entity('vm', 'three')).to.not.equal(undefined);
      expect(fixture.port.entity('vm', 'two')).to.equal(undefined);
    });

    it('skips a message that is not a run, logging why but nothing of its content', async () => {
      const fixture = runnerFixture();
      const secretLooking = { action: 'create_vm', inputs: { password: 'hunter2-very-secret' } };
      const result = await fixture.handleRun.execute({ message: JSON.stringify(secretLooking), source: { offset: '7' } });
      expect(result).to.include({ kind: 'skipped', reason: 'invalid-message' });
      expect(fixture.logger.text()).to.include('no run id').and.include('"offset":"7"');
      expect(fixture.logger.text()).not.to.include('hunter2');
    });
  });

  describe('failures', () => {
    it('reports FAILURE with the input problems for bad inputs, without a stack trace', async () => {
      const fixture = runnerFixture();
      const result = completed(
        await fixture.handleRun.execute({
          message: JSON.stringify(tutorialMessage('run_bad', { title: 'x', cpu: -2, memory: 4, storage: 50, region: 'moon-1' })),
        }),
      );
      const run = fixture.port.runs.get('run_bad');
      expect(run).to.include({ status: 'FAILURE', statusLabel: 'Invalid input' });
      expect(run?.summary)
        .to.match(/cpu must be a whole number/)
        .and.match(/region must be one of/);
      expect(run?.summary).not.to.match(/\n\s+at /);
      expect(result.outcome.status).to.equal('FAILURE');
      expect((await fixture.notifications()).map((n) => n.data['status'])).to.deep.equal(['IN_PROGRESS', 'FAILURE']);
    });

    it('reports a generic FAILURE for an unexpected handler error, and logs the details with a reference', async () => {
      const broken: ActionHandler = {
        action: 'create_vm',
        handle: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'token=abc123')");
        },
      };
      const fixture = runnerFixture({ handlers: () => [broken] });
      await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_bug')) });
      const run = fixture.port.runs.get('run_bug');
      expect(run).to.include({ status: 'FAILURE', statusLabel: 'Error' });
      expect(run?.summary).to.match(/unexpected error \(reference id-\d+/);
      expect(run?.summary).not.to.include('abc123');
      const logged = fixture.logger.lines.find((line) => line.message === 'Run failed');
      expect(logged?.attributes['stack']).to.be.a('string');
    });

    it('reports FAILURE when Port refuses the entity (permanent)', async () => {
      const fixture = runnerFixture();
      fixture.port.failNext('upsertEntity', () => new PortRequestRejectedError('upsert entity vm/x', 422, 'invalid_request', 'bad'));
      await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_422')) });
      expect(fixture.port.runs.get('run_422')).to.include({ status: 'FAILURE', statusLabel: 'Rejected by Port' });
      expect(fixture.port.runs.get('run_422')?.summary).to.include('HTTP 422 invalid_request');
    });

    it('defers the run when Port is unavailable, releases the claim, and succeeds on retry', async () => {
      const fixture = runnerFixture();
      fixture.port.failNext('upsertEntity', () => new PortUnavailableError('upsert entity', 503, 'HTTP 503', 2_000));
      const message = JSON.stringify(tutorialMessage('run_503'));
      const error = await deferred(fixture.handleRun.execute({ message }));
      expect(error.retryAfterMs).to.equal(2_000);
      expect(fixture.port.runs.get('run_503')?.status).to.equal('IN_PROGRESS');

      completed(await fixture.handleRun.execute({ message }));
      expect(fixture.port.runs.get('run_503')?.status).to.equal('SUCCESS');
    });

    it('after a transient failure to report, a retry reports the kept outcome without running the handler again', async () => {
      const fixture = runnerFixture();
      fixture.port.failNext('updateRun', () => new PortUnavailableError('update run', undefined, 'ECONNRESET'));
      const message = JSON.stringify(tutorialMessage('run_report'));
      await deferred(fixture.handleRun.execute({ message }));
      expect(fixture.port.calls.upsertEntity).to.equal(1);

      completed(await fixture.handleRun.execute({ message }));
      expect(fixture.port.calls.upsertEntity).to.equal(1);
      expect(fixture.port.runs.get('run_report')?.status).to.equal('SUCCESS');
    });

    it('completes without throwing when Port refuses the status for good (unknown run)', async () => {
      const fixture = runnerFixture();
      fixture.port.failNext('updateRun', () => new PortRequestRejectedError('update run', 404, 'not_found', undefined));
      const result = completed(await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_gone')) }));
      expect(result.reported).to.equal(false);
      expect(await fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_gone')) })).to.include({ kind: 'duplicate' });
    });

    it('defers the run when the ledger is unavailable, before any Port call', async () => {
      const failing: RunLedger = {
        claim: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
        markHandled: async () => undefined,
        markReported: async () => undefined,
        release: async () => undefined,
      };
      const fixture = runnerFixture({ ledger: () => failing });
      await deferred(fixture.handleRun.execute({ message: JSON.stringify(tutorialMessage('run_ledger')) }));
      expect(fixture.port.calls.addRunLog + fixture.port.calls.upsertEntity).to.equal(0);
    });
  });

  describe('idempotency', () => {
    it('skips a redelivered run that was already reported: the handler runs once', async () => {
      const fixture = runnerFixture();
      const message = JSON.stringify(tutorialMessage('run_dup'));
      completed(await fixture.handleRun.execute({ message }));
      expect(await fixture.handleRun.execute({ message })).to.deep.equal({ kind: 'duplicate', runId: 'run_dup', action: 'create_vm' });
      expect(fixture.port.calls.upsertEntity).to.equal(1);
      expect(fixture.port.runs.get('run_dup')?.updates).to.have.length(1);
    });

    it('never runs the handler twice for concurrent deliveries of one run', async () => {
      let executions = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow: ActionHandler = {
        action: 'create_vm',
        handle: async () => {
          executions += 1;
          await gate;
          return {};
        },
      };
      const fixture = runnerFixture({ handlers: () => [slow] });
      const message = JSON.stringify(tutorialMessage('run_race'));
      const first = fixture.handleRun.execute({ message });
      const second = await deferred(fixture.handleRun.execute({ message }));
      expect(second.retryAfterMs).to.equal(60_000);
      release();
      completed(await first);
      expect(executions).to.equal(1);
    });

    it('lets a retry proceed once the lease of a crashed worker has ended', async () => {
      const fixture = runnerFixture();
      // A worker claimed the run, then crashed before reporting.
      expect(await fixture.ledger.claim('run_crash', 'crashed-worker', 60_000)).to.deep.equal({ kind: 'claimed' });
      const message = JSON.stringify(tutorialMessage('run_crash'));
      await deferred(fixture.handleRun.execute({ message }));
      expect(fixture.port.calls.upsertEntity).to.equal(0);

      fixture.clock.advance(60_001);
      completed(await fixture.handleRun.execute({ message }));
      expect(fixture.port.runs.get('run_crash')?.status).to.equal('SUCCESS');
      expect((fixture.ledger as InMemoryRunLedger).stateOf('run_crash')).to.equal('reported');
    });
  });
});
