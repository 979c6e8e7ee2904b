import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaRunProducer } from '../../../src/adapters/kafka/KafkaRunProducer.js';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';
import { spawnManaged, type ManagedProcess } from '../../support/services/managedProcess.js';
import { kafkaMockCluster, uniqueName } from '../../support/services/index.js';
import { RecordingLogger, tutorialMessage } from '../../unit/runs/support.js';
import { runMessage } from '../../unit/examples/exampleRun.js';
import { readFileSync } from 'node:fs';

interface WebhookRunFixture {
  readonly context: Record<string, unknown>;
  readonly payload: { readonly action: Record<string, unknown> } & Record<string, unknown>;
}
// port-agent tests/unit/streamers/kafka/conftest.py mock_webhook_run_message (test/fixtures/port/README.md).
const portAgentWebhookRun = JSON.parse(readFileSync('test/fixtures/port/port-agent-webhook-run-message.json', 'utf8')) as WebhookRunFixture;

async function until(what: string, predicate: () => boolean, timeoutMs: number, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms${output ? `\n${output()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The webhook target of the mapping file, and a gate the slow handler waits on. */
async function startTarget(): Promise<{
  url: string;
  hooks: Array<{ url: string; body: unknown }>;
  openGate: () => void;
  gateWaiting: () => boolean;
  close: () => Promise<void>;
}> {
  const hooks: Array<{ url: string; body: unknown }> = [];
  const held: ServerResponse[] = [];
  let open = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/gate') {
        if (open) res.end('{}');
        else held.push(res);
        return;
      }
      hooks.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hooks,
    openGate: () => {
      open = true;
      for (const res of held.splice(0)) res.end('{}');
    },
    gateWaiting: () => held.length > 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * issue 13 "Done when": handler modules (the two examples and a slow one) and port-agent's
 * documented mapping file, loaded by `npm start` against the kcat mock cluster, the fake Port
 * API and a webhook target. The slow handler holds its run while the other runs of the SAME
 * partition complete (no head-of-line blocking).
 */
describe('npm start with HERMES_ACTION_HANDLERS and HERMES_INVOCATIONS (kcat mock cluster, fake Port API)', function () {
  this.timeout(180_000);

  let port: FakePortApi;
  let target: Awaited<ReturnType<typeof startTarget>>;
  let hermes: ManagedProcess | undefined;
  let dir: string;

  before(async () => {
    port = await startFakePortApi();
    target = await startTarget();
    dir = await mkdtemp(join(tmpdir(), 'hermes-slow-handler-'));
  });
  after(async () => {
    await hermes?.stop(10_000);
    await target.close();
    await port.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs code handlers and the mapping, and a slow run does not hold up the rest of its partition', async () => {
    const cluster = await kafkaMockCluster();
    const topic = uniqueName('org_ext.runs');
    const slowModule = join(dir, 'slowJob.mjs');
    await writeFile(
      slowModule,
      `export default { action: 'slow_job', async handle(run, ctx) {
         ctx.log('waiting for the gate');
         await fetch(process.env.SLOW_GATE_URL, { signal: ctx.signal });
         return { summary: 'slow job done' };
       } };\n`,
    );
    const producer = new KafkaRunProducer({ brokers: cluster.brokers, clientId: 'it-ext-producer', ssl: false }, new RecordingLogger());
    await producer.connect();
    try {
      // Creates the topic; the runner's new group starts at its end (Port's LATEST), so this one is never read.
      await producer.send(topic, [{ key: 'warm-up', value: 'not a run', partition: 0 }]);
      hermes = spawnManaged('npm', ['start'], {
        env: {
          ...process.env,
          HERMES_PROFILE: 'memory',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          HERMES_PORT: '0',
          KAFKA_BROKERS: cluster.brokers.join(','),
          KAFKA_RUNS_TOPIC: topic,
          KAFKA_CONSUMER_GROUP_NAME: uniqueName('org_ext.hermes'),
          PORT_API_URL: port.url,
          PORT_CLIENT_ID: port.credentials.clientId,
          PORT_CLIENT_SECRET: port.credentials.clientSecret,
          HERMES_ACTION_HANDLERS: `examples/handlers/restartService.ts,examples/handlers/deleteVm.ts,${slowModule}`,
          HERMES_INVOCATIONS: 'test/fixtures/port/port-agent-control-the-payload-config.json',
          SLOW_GATE_URL: `${target.url}/gate`,
        },
      });
      let output = '';
      hermes.onOutput((text) => (output += text));
      await until(
        'the runner joined its group',
        () => output.includes('Joined the consumer group'),
        90_000,
        () => output.slice(-4_000),
      );
      await until(
        'the starting positions committed',
        () => output.includes('Committed the starting position'),
        30_000,
        () => output.slice(-4_000),
      );

      // All on partition 0: the slow run first, then the others behind it.
      const webhookRun = {
        ...portAgentWebhookRun,
        context: { ...portAgentWebhookRun.context, runId: 'r_ext_webhook' },
        payload: {
          ...portAgentWebhookRun.payload,
          action: {
            ...portAgentWebhookRun.payload.action,
            invocationMethod: { type: 'WEBHOOK', agent: true, url: `${target.url}/api/test` },
          },
        },
      };
      await producer.send(topic, [
        {
          key: 'r_ext_slow',
          partition: 0,
          value: runMessage({ runId: 'r_ext_slow', action: 'slow_job', operation: 'CREATE', blueprint: 'job' }),
        },
        {
          key: 'r_ext_restart',
          partition: 0,
          value: runMessage({
            runId: 'r_ext_restart',
            action: 'restart_service',
            operation: 'DAY-2',
            blueprint: 'service',
            entity: 'checkout',
            properties: { environment: 'staging' },
          }),
        },
        {
          key: 'r_ext_delete',
          partition: 0,
          value: runMessage({ runId: 'r_ext_delete', action: 'delete_vm', operation: 'DELETE', blueprint: 'vm', entity: 'old-vm' }),
        },
        { key: 'r_ext_vm', partition: 0, value: JSON.stringify(tutorialMessage('r_ext_vm')) },
        { key: 'r_ext_webhook', partition: 0, value: JSON.stringify(webhookRun) },
      ]);

      const others = ['r_ext_restart', 'r_ext_delete', 'r_ext_vm', 'r_ext_webhook'];
      await until(
        'the other runs of the partition reported',
        () => others.every((runId) => port.runs.get(runId)?.status !== undefined && port.runs.get(runId)?.status !== 'IN_PROGRESS'),
        60_000,
        () => output.slice(-4_000),
      );
      // ... while the slow run is still held by its handler.
      expect(target.gateWaiting(), 'the slow handler is still waiting').to.equal(true);
      expect(port.runs.get('r_ext_slow')?.status ?? 'IN_PROGRESS').to.equal('IN_PROGRESS');

      expect(port.runs.get('r_ext_restart'), JSON.stringify(port.runs.get('r_ext_restart'))).to.deep.include({
        status: 'SUCCESS',
        statusLabel: 'Restarted',
      });
      expect(port.runs.get('r_ext_restart')?.link).to.be.an('array').with.length(1);
      // delete_vm on an entity Port does not have: DELETE answers 404, which is "already gone".
      expect(port.runs.get('r_ext_delete'), JSON.stringify(port.runs.get('r_ext_delete'))).to.deep.include({
        status: 'SUCCESS',
        statusLabel: 'Deleted',
      });
      expect(port.runs.get('r_ext_vm')?.status).to.equal('SUCCESS');
      // port-agent's catch-all mapping: the whole message POSTed to the run's URL, SUCCESS on 2xx.
      expect(target.hooks.map((hook) => hook.url)).to.deep.equal(['/api/test']);
      expect(target.hooks[0]!.body).to.deep.include({ resourceType: 'run' });
      expect(port.runs.get('r_ext_webhook')?.status).to.equal('SUCCESS');

      target.openGate();
      await until(
        'the slow run reported',
        () => port.runs.get('r_ext_slow')?.status === 'SUCCESS',
        30_000,
        () => output.slice(-4_000),
      );
      expect(port.violations).to.deep.equal([]);
    } finally {
      await producer.disconnect();
    }
  });
});
