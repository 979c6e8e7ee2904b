import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildLambdas } from '../../../scripts/build-lambda.js';
import { runBundle } from '../../../scripts/lib/invokeBundle.js';

function record(offset: number, message: Record<string, unknown>): Record<string, unknown> {
  return {
    topic: 'org_test.runs',
    partition: 0,
    offset,
    timestamp: 0,
    timestampType: 'CREATE_TIME',
    value: Buffer.from(JSON.stringify(message)).toString('base64'),
    headers: [],
  };
}

function run(
  runId: string,
  action: string,
  operation: string,
  entity: string,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  return {
    action,
    resourceType: 'run',
    status: 'TRIGGERED',
    context: { entity, blueprint: 'service', runId },
    payload: { entity: { identifier: entity }, action: { identifier: action, trigger: operation }, properties },
  };
}

describe('npm run build:lambda -- --handlers: handler modules bundled into action-runner', function () {
  this.timeout(120_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'hermes-handlers-bundle-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs the bundled examples from the bundle alone (a fresh process, no source tree)', async () => {
    const outDir = join(scratch, 'lambda');
    const [bundle] = await buildLambdas({
      names: ['action-runner'],
      outDir,
      metaDir: join(scratch, 'meta'),
      handlerModules: ['examples/handlers/restartService.ts', 'examples/handlers/deleteVm.ts'],
    });
    const event = join(scratch, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        eventSource: 'SelfManagedKafka',
        records: {
          'org_test.runs-0': [
            record(1, run('r_b1', 'restart_service', 'DAY-2', 'checkout', { environment: 'staging' })),
            record(2, run('r_b2', 'delete_vm', 'DELETE', 'vm-1', {})),
            record(3, run('r_b3', 'not_bundled', 'CREATE', 'x', {})),
          ],
        },
      }),
    );
    const result = await runBundle(bundle!.file, event, {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HERMES_PROFILE: 'memory',
        HERMES_PORT_API: 'memory',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
      cwd: scratch,
    });
    expect(result.ok, `${result.errorType}: ${result.errorMessage}\n${result.output}`).to.equal(true);
    expect(result.result).to.deep.equal({ records: 3, completed: 2, skipped: 1, duplicates: 0 });
  });
});
