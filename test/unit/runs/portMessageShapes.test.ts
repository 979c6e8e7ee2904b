import { expect } from 'chai';
import { ActionHandlerRegistry } from '../../../src/application/runs/ActionHandlerRegistry.js';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { parseActionRunMessage } from '../../../src/domain/runs/parseActionRunMessage.js';
import { RunMessageNotForRunnerError } from '../../../src/domain/runs/RunMessageNotForRunnerError.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { loadPortConfig, runsRoomOf } from '../../../src/entrypoints/config/portConfig.js';
import { fixtureText, PORT_FIXTURES } from '../../support/portFixtures.js';
import { runnerFixture } from './support.js';

function fixture(file: string): unknown {
  const found = PORT_FIXTURES.find((candidate) => candidate.file === file);
  if (found === undefined) throw new Error(`no fixture ${file}`);
  return JSON.parse(fixtureText(found));
}

function notForRunner(raw: unknown): RunMessageNotForRunnerError {
  try {
    parseActionRunMessage(raw);
  } catch (error) {
    expect(error).to.be.instanceOf(RunMessageNotForRunnerError);
    return error as RunMessageNotForRunnerError;
  }
  throw new Error('expected the message to be skipped');
}

const GUIDE_INPUTS = { title: 'Backend Prod VM', cpu: 2, memory: 4, storage: 50, region: 'eu-west-1' };

describe('Port message shapes (test/fixtures/port)', () => {
  it('reads the guide’s v2 payload: action at the top, operation in payload.action.trigger, inputs in payload.properties', () => {
    const run = parseActionRunMessage(fixture('port-docs-guide-v2-rendered.json'));
    expect(run).to.include({ runId: 'r_GuideV2Tmpl0001', action: 'create_vm', operation: 'CREATE', blueprint: 'vm', format: 'v2' });
    expect(run.inputs).to.deep.equal(GUIDE_INPUTS);
    expect(run.encryptedInputs).to.deep.equal([]);
  });

  it('reads the trigger-data object: inputs, trigger.operation, action.identifier and blueprint, run.id', () => {
    const run = parseActionRunMessage(fixture('port-docs-guide-v2-trigger-data.json'));
    expect(run).to.include({ runId: 'r_GuideV2Tmpl0001', action: 'vm_create_vm', operation: 'CREATE', blueprint: 'vm', entity: undefined });
    expect(run.inputs).to.deep.equal(GUIDE_INPUTS);
  });

  it('reads the v1 envelope of the guide', () => {
    const run = parseActionRunMessage(fixture('port-docs-guide-v1-message.json'));
    expect(run).to.include({ runId: 'run_q2mGf9ZYkFRnZJjB', action: 'create_vm', operation: 'CREATE', format: 'v1' });
  });

  for (const [where, message] of [
    ['port_context.runId', { action: 'create_vm', port_context: { runId: 'r_pc_1' } }],
    ['port_context.run_id', { action: 'create_vm', port_context: { run_id: 'r_pc_1' } }],
    ['context.runId', { action: 'create_vm', context: { runId: 'r_pc_1' } }],
    ['run.id', { action: { identifier: 'create_vm' }, run: { id: 'r_pc_1' } }],
    ['runId', { action: 'create_vm', runId: 'r_pc_1' }],
  ] as const) {
    it(`finds a custom payload's run id at ${where}`, () => {
      expect(parseActionRunMessage(message)).to.include({ runId: 'r_pc_1', action: 'create_vm' });
    });
  }

  it('marks the inputs Port encrypted (payload.censoredProperties, action.encryptedProperties)', () => {
    const rendered = fixture('port-docs-guide-v2-rendered.json') as { payload: Record<string, unknown> };
    rendered.payload['censoredProperties'] = ['region'];
    expect(parseActionRunMessage(rendered).encryptedInputs).to.deep.equal(['region']);
    const triggerData = fixture('port-docs-trigger-data-create-vm.json') as { action: Record<string, unknown> };
    triggerData.action['encryptedProperties'] = ['title'];
    expect(parseActionRunMessage(triggerData).encryptedInputs).to.deep.equal(['title']);
  });

  it('names the kind of Port message that is not this runner’s', () => {
    expect(notForRunner(fixture('port-agent-wf-node-run-message.json'))).to.include({ kind: 'workflow-node-run', runId: 'wfnr_abc123' });
    expect(notForRunner(fixture('port-agent-change-log-message.json'))).to.include({ kind: 'change-log', runId: 'r_jE5FhDURh4Uen2Qr' });
    expect(notForRunner(fixture('port-agent-webhook-run-message.json'))).to.include({ kind: 'webhook-agent-run' });
    expect(notForRunner(fixture('port-docs-custom-payload-rendered.json'))).to.include({
      kind: 'no-action-identifier',
      runId: 'r_CustomPayload01',
    });
  });

  it('reports nothing for a message without an action identifier: one info line, no warning', async () => {
    const runner = runnerFixture();
    const result = await runner.processor.process(fixture('port-docs-custom-payload-rendered.json'));
    expect(result).to.deep.include({ kind: 'skipped', reason: 'no-action-identifier', runId: 'r_CustomPayload01' });
    expect(runner.port.runs.size).to.equal(0);
    expect(runner.logger.lines.map((line) => [line.level, line.message])).to.deep.equal([
      ['info', 'Skipped a Port message that is not an action run for this runner'],
    ]);
  });
});

describe('action identifiers: blueprint prefixes and PORT_ACTION_ALIASES', () => {
  const handler = (action: string): ActionHandler => ({ action, operations: ['CREATE'], handle: async () => ({}) });

  it('routes <blueprint>_<id> to the handler of <id> when no handler claims the full identifier', () => {
    const registry = new ActionHandlerRegistry([handler('create_vm')]);
    expect(registry.lookup('vm_create_vm', 'CREATE', 'vm')).to.deep.include({ kind: 'found' });
    expect(registry.lookup('vm_create_vm', 'CREATE', undefined)).to.deep.include({ kind: 'found' });
    expect(registry.lookup('db_create_vm', 'CREATE', 'vm')).to.deep.equal({ kind: 'unknown-action' });
    const both = new ActionHandlerRegistry([handler('create_vm'), handler('vm_create_vm')]);
    const found = both.lookup('vm_create_vm', 'CREATE', 'vm');
    expect(found.kind === 'found' && found.handler.action).to.equal('vm_create_vm');
  });

  it('maps any other name through the aliases', () => {
    const registry = new ActionHandlerRegistry([handler('create_vm')], new Map([['provision_machine', 'create_vm']]));
    const found = registry.lookup('provision_machine', 'CREATE', 'vm');
    expect(found.kind === 'found' && found.handler.action).to.equal('create_vm');
    expect(registry.lookup('provision_box', 'CREATE', 'vm')).to.deep.equal({ kind: 'unknown-action' });
  });

  it('reads PORT_ACTION_ALIASES and PORT_DECRYPT_FIELDS, naming the variable of every bad entry', () => {
    const config = loadPortConfig(
      { PORT_ACTION_ALIASES: 'vm_create_vm=create_vm, provision=create_vm', PORT_DECRYPT_FIELDS: 'payload.properties.password,db.token' },
      'memory',
    );
    expect([...config.actionAliases]).to.deep.equal([
      ['vm_create_vm', 'create_vm'],
      ['provision', 'create_vm'],
    ]);
    expect(config.decryptFields).to.deep.equal(['password', 'db.token']);
    expect(() => loadPortConfig({ PORT_ACTION_ALIASES: 'vm_create_vm', PORT_DECRYPT_FIELDS: 'a..b' }, 'memory'))
      .to.throw(ConfigurationError)
      .with.property('message')
      .that.matches(/PORT_ACTION_ALIASES: "vm_create_vm" is not <identifier>=<action>/)
      .and.matches(/PORT_DECRYPT_FIELDS: "a\.\.b"/);
    expect(() => loadPortConfig({ PORT_ACTION_ALIASES: 'a=b,a=c' }, 'memory')).to.throw(/PORT_ACTION_ALIASES: a is mapped more than once/);
  });

  it('runs the guide’s vm_create_vm trigger data through create_vm; PORT_ACTIONS may name either identifier', async () => {
    for (const allowed of ['create_vm', 'vm_create_vm']) {
      const runner = runnerFixture({ settings: { allowedActions: new Set([allowed]) } });
      await runner.processor.process(fixture('port-docs-guide-v2-trigger-data.json'));
      expect(runner.port.runs.get('r_GuideV2Tmpl0001')?.status, allowed).to.equal('SUCCESS');
    }
  });
});

describe('the runs room', () => {
  it('is HERMES_RUNS_ROOM, else port-<PORT_ORG_ID>, else port-runs, as the configuration reads it', () => {
    for (const env of [{}, { PORT_ORG_ID: 'org_x' }, { PORT_ORG_ID: 'org_x', HERMES_RUNS_ROOM: 'ops' }, { HERMES_RUNS_ROOM: ' ' }]) {
      expect(runsRoomOf(env), JSON.stringify(env)).to.equal(loadPortConfig(env, 'memory').runsRoom);
    }
    expect(runsRoomOf({})).to.equal('port-runs');
    expect(runsRoomOf({ PORT_ORG_ID: 'org_x' })).to.equal('port-org_x');
  });
});
