import { expect } from 'chai';
import deleteVm from '../../../examples/handlers/deleteVm.js';
import { runnerFixture } from '../runs/support.js';
import { runMessage } from './exampleRun.js';

describe('examples/handlers/deleteVm.ts (a DELETE action)', () => {
  const message = (runId: string, properties: Record<string, unknown> = {}) =>
    runMessage({ runId, action: 'delete_vm', operation: 'DELETE', blueprint: 'vm', entity: 'backend-prod-vm', properties });

  it('removes the vm entity and reports SUCCESS', async () => {
    const fixture = runnerFixture({ handlers: () => [deleteVm] });
    await fixture.port.upsertEntity('vm', { identifier: 'backend-prod-vm', properties: { region: 'eu-west-1' } });
    await fixture.processor.process(message('run_d1'));
    expect(fixture.port.entity('vm', 'backend-prod-vm')).to.equal(undefined);
    const run = fixture.port.runs.get('run_d1')!;
    expect(run.status).to.equal('SUCCESS');
    expect(run.summary).to.equal('VM backend-prod-vm deleted and removed from the catalog');
  });

  it('refuses a confirmation that does not match, as a FAILURE the user can read', async () => {
    const fixture = runnerFixture({ handlers: () => [deleteVm] });
    await fixture.port.upsertEntity('vm', { identifier: 'backend-prod-vm', properties: {} });
    await fixture.processor.process(message('run_d2', { confirm_title: 'other-vm' }));
    expect(fixture.port.entity('vm', 'backend-prod-vm')).to.not.equal(undefined);
    const run = fixture.port.runs.get('run_d2')!;
    expect(run.status).to.equal('FAILURE');
    expect(run.summary).to.equal("confirm_title must be the VM's identifier (backend-prod-vm)");
  });

  it('runs once per run id: a redelivery is skipped by the ledger', async () => {
    const fixture = runnerFixture({ handlers: () => [deleteVm] });
    await fixture.processor.process(message('run_d3'));
    const again = await fixture.processor.process(message('run_d3'));
    expect(again.kind).to.equal('duplicate');
    expect(fixture.port.calls.deleteEntity).to.equal(1);
  });
});
