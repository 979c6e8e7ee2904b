import { expect } from 'chai';
import restartService from '../../../examples/handlers/restartService.js';
import { runnerFixture } from '../runs/support.js';
import { runMessage } from './exampleRun.js';

describe('examples/handlers/restartService.ts (a DAY-2 action reporting a link)', () => {
  const message = (runId: string, properties: Record<string, unknown>, operation = 'DAY-2') =>
    runMessage({ runId, action: 'restart_service', operation, blueprint: 'service', entity: 'checkout', properties });

  it('restarts the entity it ran on, records it on the entity and reports SUCCESS with the dashboard link', async () => {
    const fixture = runnerFixture({ handlers: () => [restartService] });
    const result = await fixture.processor.process(message('run_r1', { environment: 'production', reason: 'memory leak' }));
    expect(result.kind).to.equal('completed');
    const run = fixture.port.runs.get('run_r1')!;
    expect(run.status).to.equal('SUCCESS');
    expect(run.statusLabel).to.equal('Restarted');
    expect(run.link?.[0]).to.match(/\?var-service=checkout&var-env=production$/);
    expect(run.logs).to.include('Restarting checkout in production (memory leak)');
    expect(fixture.port.entity('service', 'checkout')?.properties).to.have.property('last_restarted_at');
  });

  it('ends FAILURE "Invalid input" with the same summary create_vm gives, without running', async () => {
    const fixture = runnerFixture({ handlers: () => [restartService] });
    await fixture.processor.process(message('run_r2', { environment: 'qa' }));
    const run = fixture.port.runs.get('run_r2')!;
    expect(run.status).to.equal('FAILURE');
    expect(run.statusLabel).to.equal('Invalid input');
    expect(run.summary).to.equal('invalid inputs for restart_service: environment must be production or staging');
    expect(fixture.port.calls.upsertEntity).to.equal(0);
  });

  it('names a missing required input "is required", as create_vm does', async () => {
    const fixture = runnerFixture({ handlers: () => [restartService] });
    await fixture.processor.process(message('run_r3', {}));
    expect(fixture.port.runs.get('run_r3')?.summary).to.equal('invalid inputs for restart_service: environment is required');
  });

  it('leaves CREATE runs of the action alone (DAY-2 only)', async () => {
    const fixture = runnerFixture({ handlers: () => [restartService] });
    const result = await fixture.processor.process(message('run_r4', { environment: 'staging' }, 'CREATE'));
    expect(result).to.include({ kind: 'skipped', reason: 'unsupported-operation' });
  });
});
