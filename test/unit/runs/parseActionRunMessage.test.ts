import { expect } from 'chai';
import { parseActionRunMessage } from '../../../src/domain/runs/parseActionRunMessage.js';
import { RunMessageInvalidError } from '../../../src/domain/runs/RunMessageInvalidError.js';
import { tutorialMessage } from './support.js';

function invalid(raw: unknown): RunMessageInvalidError {
  try {
    parseActionRunMessage(raw);
  } catch (error) {
    expect(error).to.be.instanceOf(RunMessageInvalidError);
    return error as RunMessageInvalidError;
  }
  throw new Error('expected the message to be refused');
}

describe('parseActionRunMessage', () => {
  describe('v1 envelope (the tutorial)', () => {
    it('reads the tutorial example message', () => {
      const run = parseActionRunMessage(JSON.stringify(tutorialMessage('run_q2mGf9ZYkFRnZJjB')));
      expect(run).to.include({
        format: 'v1',
        runId: 'run_q2mGf9ZYkFRnZJjB',
        action: 'create_vm',
        operation: 'CREATE',
        blueprint: 'vm',
        entity: undefined,
        triggeredBy: 'h2Mf13aRSCYQCUPIcqufoP4XRLwAt8Od@clients',
      });
      expect(run.inputs).to.deep.equal({ title: 'Backend Prod VM', cpu: 2, memory: 4, storage: 50, region: 'eu-west-1' });
    });

    it('accepts raw bytes as Kafka delivers them', () => {
      const run = parseActionRunMessage(Buffer.from(JSON.stringify(tutorialMessage('run_bytes'))));
      expect(run.runId).to.equal('run_bytes');
    });

    it('keeps the trigger operation of DAY-2 and DELETE actions, upper-cased', () => {
      expect(parseActionRunMessage(tutorialMessage('run_a', {}, 'delete')).operation).to.equal('DELETE');
      expect(parseActionRunMessage(tutorialMessage('run_b', {}, 'DAY-2')).operation).to.equal('DAY-2');
    });

    it('reads the entity of a DAY-2 run from context.entity', () => {
      const message = tutorialMessage('run_c', {}, 'DAY-2');
      (message['context'] as Record<string, unknown>)['entity'] = 'backend-prod-vm';
      expect(parseActionRunMessage(message).entity).to.equal('backend-prod-vm');
    });

    it('treats missing properties as no inputs', () => {
      const message = tutorialMessage('run_d');
      delete (message['payload'] as Record<string, unknown>)['properties'];
      expect(parseActionRunMessage(message).inputs).to.deep.equal({});
    });

    it('refuses an envelope without a run id, naming the field', () => {
      const message = tutorialMessage('run_e');
      delete (message['context'] as Record<string, unknown>)['runId'];
      expect(invalid(message).reason).to.match(/context\.runId/);
    });
  });

  describe('v2 custom payload', () => {
    it('reads action (string), run.id and inputs', () => {
      const run = parseActionRunMessage({
        action: 'create_vm',
        run: { id: 'r_v2_1' },
        trigger: { operation: 'CREATE', by: { userId: 'u-1' } },
        inputs: { title: 'A', cpu: 1, memory: 1, storage: 1, region: 'us-east-1' },
      });
      expect(run).to.include({ format: 'v2', runId: 'r_v2_1', action: 'create_vm', operation: 'CREATE', triggeredBy: 'u-1' });
      expect(run.inputs).to.include({ title: 'A', region: 'us-east-1' });
    });

    it('reads action.identifier, context.runId and properties', () => {
      const run = parseActionRunMessage({
        action: { identifier: 'create_vm', trigger: 'CREATE' },
        context: { runId: 'r_v2_2', blueprint: 'vm' },
        properties: { cpu: 4 },
      });
      expect(run).to.include({ format: 'v2', runId: 'r_v2_2', action: 'create_vm', operation: 'CREATE', blueprint: 'vm' });
      expect(run.inputs).to.deep.equal({ cpu: 4 });
    });

    it('reads a top-level runId and an operation field', () => {
      const run = parseActionRunMessage({ action: 'restart', runId: 'r_v2_3', operation: 'day-2', entity: { identifier: 'svc' } });
      expect(run).to.include({ runId: 'r_v2_3', action: 'restart', operation: 'DAY-2', entity: 'svc' });
      expect(run.inputs).to.deep.equal({});
    });

    it('prefers context.runId over run.id over runId', () => {
      const run = parseActionRunMessage({ action: 'x', context: { runId: 'first' }, run: { id: 'second' }, runId: 'third' });
      expect(run.runId).to.equal('first');
    });

    it('refuses a payload without any run id', () => {
      expect(invalid({ action: 'create_vm', inputs: {} }).reason).to.match(/no run id/);
    });
  });

  describe('messages that are not runs', () => {
    it('refuses text that is not JSON, an empty message and JSON that is not an object', () => {
      expect(invalid('{not json').reason).to.equal('the message is not JSON');
      expect(invalid(Buffer.alloc(0)).reason).to.equal('the message is empty');
      expect(invalid('[1,2]').reason).to.equal('the message is not a JSON object');
    });

    it('refuses another resource type (e.g. a change-log message)', () => {
      expect(invalid({ ...tutorialMessage('run_f'), resourceType: 'entity' }).reason).to.match(/resourceType/);
    });

    it('refuses run ids that could not be put in a URL path segment', () => {
      expect(invalid(tutorialMessage('../../etc/passwd')).reason).to.match(/context\.runId/);
    });

    it('never echoes a value of the message in its reason', () => {
      const message = { action: 42, runId: 'r', inputs: { password: 'hunter2-secret' } };
      const error = invalid(message);
      expect(error.message).not.to.include('hunter2');
      expect(error.message).not.to.include('42');
    });
  });
});
