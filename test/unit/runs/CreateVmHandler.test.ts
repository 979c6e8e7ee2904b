import { expect } from 'chai';
import { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import type { ActionHandlerContext } from '../../../src/application/runs/ActionHandler.js';
import { CreateVmHandler } from '../../../src/application/runs/handlers/CreateVmHandler.js';
import { ActionInputInvalidError } from '../../../src/domain/runs/ActionInputInvalidError.js';
import { ActionRun } from '../../../src/domain/runs/ActionRun.js';
import type { JsonValue } from '../../../src/domain/shared/Json.js';

function runWith(inputs: Record<string, JsonValue>, runId = 'run_1'): ActionRun {
  return new ActionRun({ runId, action: 'create_vm', operation: 'CREATE', inputs, format: 'v1' });
}

/** A handler context whose log lines go to `log`. */
function context(log: (line: string) => unknown): ActionHandlerContext {
  return { log: (line) => void log(line), port: new InMemoryPortApi(), signal: new AbortController().signal };
}

const VALID = { title: 'Backend Prod VM', cpu: 2, memory: 4, storage: 50, region: 'eu-west-1' };

async function refusal(handler: CreateVmHandler, inputs: Record<string, JsonValue>): Promise<ActionInputInvalidError> {
  try {
    await handler.handle(
      runWith(inputs),
      context(() => undefined),
    );
  } catch (error) {
    expect(error).to.be.instanceOf(ActionInputInvalidError);
    return error as ActionInputInvalidError;
  }
  throw new Error('expected the inputs to be refused');
}

describe('CreateVmHandler', () => {
  it('upserts the vm entity linked to the run, with the tutorial properties', async () => {
    const port = new InMemoryPortApi();
    const logs: string[] = [];
    const handler = new CreateVmHandler(port, { entityUrl: (bp, id) => `https://app.getport.io/${bp}Entity?identifier=${id}` });
    const result = await handler.handle(
      runWith(VALID, 'run_q2mGf9ZYkFRnZJjB'),
      context((line) => logs.push(line)),
    );

    expect(port.entity('vm', 'backend-prod-vm')).to.deep.equal({
      blueprint: 'vm',
      identifier: 'backend-prod-vm',
      title: 'Backend Prod VM',
      properties: { cpu_cores: 2, memory_size: 4, storage_size: 50, region: 'eu-west-1', deployed: 'Deploying' },
      runId: 'run_q2mGf9ZYkFRnZJjB',
    });
    expect(result.statusLabel).to.equal('Deploying');
    expect(result.summary).to.include('backend-prod-vm').and.include('2 CPU cores');
    expect(result.link).to.deep.equal(['https://app.getport.io/vmEntity?identifier=backend-prod-vm']);
    expect(logs).to.have.length(1);
  });

  it('accepts numbers quoted by a v2 payload template', async () => {
    const port = new InMemoryPortApi();
    await new CreateVmHandler(port).handle(
      runWith({ ...VALID, cpu: '8', memory: '16.5', storage: ' 100 ' }),
      context(() => undefined),
    );
    expect(port.entity('vm', 'backend-prod-vm')?.properties).to.include({ cpu_cores: 8, memory_size: 16.5, storage_size: 100 });
  });

  it('names a VM without a title after its run', async () => {
    const port = new InMemoryPortApi();
    const { title: _omitted, ...untitled } = VALID;
    await new CreateVmHandler(port).handle(
      runWith(untitled, 'run_XyZ'),
      context(() => undefined),
    );
    expect(port.entity('vm', 'vm-run_xyz')?.title).to.equal('VM run_XyZ');
  });

  it('refuses inputs outside the action schema, naming every field, before calling Port', async () => {
    const port = new InMemoryPortApi();
    const handler = new CreateVmHandler(port);
    const error = await refusal(handler, { title: 'x', cpu: 0, memory: -1, storage: 'lots', region: 'mars-1' });
    expect(error.problems.map((p) => p.field)).to.deep.equal(['cpu', 'memory', 'storage', 'region']);
    expect(error.message).to.match(/region must be one of eu-west-1, eu-west-2, us-west-1, us-east-1/);
    expect(error.message).not.to.include('mars-1');
    expect(port.calls.upsertEntity).to.equal(0);
  });

  it('says which required inputs are missing', async () => {
    const error = await refusal(new CreateVmHandler(new InMemoryPortApi()), { title: 'x' });
    expect(error.problems).to.deep.include({ field: 'cpu', reason: 'is required' });
    expect(error.problems.map((p) => p.field)).to.include.members(['cpu', 'memory', 'storage', 'region']);
  });

  it('refuses fractional CPU cores and a title without letters or digits', async () => {
    const handler = new CreateVmHandler(new InMemoryPortApi());
    expect((await refusal(handler, { ...VALID, cpu: 1.5 })).problems[0]?.field).to.equal('cpu');
    expect((await refusal(handler, { ...VALID, title: '???' })).problems[0]?.field).to.equal('title');
  });
});
