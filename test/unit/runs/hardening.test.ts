import { expect } from 'chai';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { PartitionRunner } from '../../../src/application/runs/PartitionRunner.js';
import { parseActionRunMessage } from '../../../src/domain/runs/parseActionRunMessage.js';
import { RunMessageInvalidError } from '../../../src/domain/runs/RunMessageInvalidError.js';
import { runnerFixture, tutorialMessage } from './support.js';

/** `levels` nested arrays: `[[[...]]]`, ~2 bytes a level. */
function deeplyNested(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

/** The tutorial message with inputs nested `levels` deep, as raw text (JSON.stringify would not overflow, but building it is simpler as text). */
function deepRunMessage(runId: string, levels: number): string {
  const text = JSON.stringify(
    tutorialMessage(runId, { title: 'deep', cpu: 1, memory: 1, storage: 1, region: 'eu-west-1', tags: '__DEEP__' }),
  );
  return text.replace('"__DEEP__"', deeplyNested(levels));
}

describe('Hardening of the run pipeline (issue 10)', () => {
  describe('deeply nested input (item 3)', () => {
    it('keeps the run but marks its inputs unreadable when only the inputs nest too deeply', () => {
      const run = parseActionRunMessage(deepRunMessage('run_deep', 3_000));
      expect(run.runId).to.equal('run_deep');
      expect(run.inputsProblem).to.match(/nested deeper than 64 levels/);
      expect(run.inputs).to.deep.equal({});
    });

    it('refuses a message nested too deeply outside the inputs as not a run, without overflowing the stack', () => {
      expect(() => parseActionRunMessage(`{"context":${deeplyNested(5_000)}}`)).to.throw(RunMessageInvalidError, /nested deeper than 64/);
    });

    it('reports such a run FAILURE with a clear summary at the first attempt, and its partition moves on at once', async () => {
      const fixture = runnerFixture();
      const runner = new PartitionRunner(fixture.processor, fixture.logger);
      const end = await runner.run([
        { topic: 't', partition: 0, offset: '0', value: Buffer.from(deepRunMessage('run_deep', 2_500)) },
        { topic: 't', partition: 0, offset: '1', value: Buffer.from(JSON.stringify(tutorialMessage('run_after'))) },
      ]);
      expect(end.kind).to.equal('drained');
      expect(fixture.port.runs.get('run_deep')).to.include({ status: 'FAILURE', statusLabel: 'Invalid input' });
      expect(fixture.port.runs.get('run_deep')?.summary).to.match(/nested deeper than 64 levels/);
      expect(fixture.port.runs.get('run_after')?.status).to.equal('SUCCESS');
      expect(fixture.logger.lines.some((line) => line.level === 'error')).to.equal(false);
    });
  });

  describe('the "received" run log (item 9)', () => {
    it('is posted once per run, however often the run is retried', async () => {
      const fixture = runnerFixture();
      const message = JSON.stringify(tutorialMessage('run_retried'));
      for (let attempt = 0; attempt < 4; attempt += 1) {
        fixture.port.failNext('upsertEntity', () => new PortUnavailableError('upsert entity', 503, 'HTTP 503'));
        await fixture.handleRun.execute({ message }).catch(() => undefined);
      }
      await fixture.handleRun.execute({ message });
      const logs = fixture.port.runs.get('run_retried')?.logs ?? [];
      expect(fixture.port.runs.get('run_retried')?.status).to.equal('SUCCESS');
      expect(logs.filter((line) => /received run run_retried/.test(line))).to.have.length(1);
    });
  });
});
