import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JqWasmEngine } from '../../../src/adapters/jq/JqWasmEngine.js';
import { FetchWebhookClient } from '../../../src/adapters/webhook/FetchWebhookClient.js';
import { WebhookInvocations } from '../../../src/application/runs/invocations/WebhookInvocations.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { parseInvocations } from '../../../src/entrypoints/runner/invocationsFile.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { runnerFixture } from './support.js';

// port-labs/port-agent@4732c342 app/control_the_payload_config.json, verbatim (test/fixtures/port/README.md).
const PORT_AGENT_DEFAULT_FILE = JSON.parse(
  readFileSync('test/fixtures/port/port-agent-control-the-payload-config.json', 'utf8'),
) as unknown;
// port-agent tests/unit/streamers/kafka/conftest.py mock_webhook_run_message (invocationMethod WEBHOOK, agent: true).
const WEBHOOK_RUN = JSON.parse(readFileSync('test/fixtures/port/port-agent-webhook-run-message.json', 'utf8')) as Record<string, unknown>;

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/** A webhook target answering from a script of statuses. */
async function target(answer: (request: Received, count: number) => { status: number; body?: unknown }): Promise<{
  url: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      received.push(request);
      const { status, body } = answer(request, received.length);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function webhookRun(runId: string, url: string): string {
  const payload = WEBHOOK_RUN['payload'] as Record<string, Record<string, unknown>>;
  return JSON.stringify({
    ...WEBHOOK_RUN,
    context: { ...(WEBHOOK_RUN['context'] as object), runId },
    payload: { ...payload, action: { ...payload['action'], invocationMethod: { type: 'WEBHOOK', agent: true, url } } },
  });
}

function gitlabRun(runId: string): string {
  return JSON.stringify({
    action: 'trigger_pipeline',
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: { by: { userId: 'user@example.com', orgId: 'org_test' }, at: '2024-05-01T10:00:00.000Z', origin: 'UI' },
    context: { entity: null, blueprint: 'service', runId },
    payload: {
      entity: null,
      action: {
        identifier: 'trigger_pipeline',
        trigger: 'CREATE',
        invocationMethod: { type: 'GITLAB', groupName: 'platform', projectName: 'deployer', defaultRef: 'main', agent: true },
      },
      properties: { environment: 'staging', replicas: 3 },
    },
  });
}

describe('HERMES_INVOCATIONS (port-agent webhook mappings, real jq)', () => {
  let jq: JqWasmEngine;
  before(async () => {
    jq = await JqWasmEngine.load({ GITLAB_URL: 'http://placeholder/', platform_deployer: 'glptt-secret-trigger-token' });
  });

  describe('the mapping file', () => {
    it("accepts port-agent's documented default file unchanged", () => {
      const mappings = parseInvocations(PORT_AGENT_DEFAULT_FILE, jq, 'control_the_payload_config.json');
      expect(mappings.map((mapping) => mapping.index)).to.deep.equal([0, 1]);
      expect(mappings[1]!.enabled).to.equal(true);
    });

    it("stops with the mapping's index and jq's own compile error, and names a missing url", () => {
      let error: unknown;
      try {
        parseInvocations([{ enabled: true, url: '"http://x"' }, { enabled: '.payload | (', url: '.a' }, { enabled: true }], jq, 'f.json');
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(ConfigurationError);
      const problems = (error as ConfigurationError).problems;
      expect(problems).to.have.length(2);
      expect(problems[0]).to.match(/^HERMES_INVOCATIONS: mapping 1 \(enabled\): jq: error: syntax error, unexpected end of file/);
      expect(problems[0]).to.include('compile error');
      expect(problems[1]).to.match(/^HERMES_INVOCATIONS: mapping 2 \(url\): url is required/);
    });
  });

  describe('a run through a mapping', () => {
    const fixtureWith = (
      file: unknown,
      client = new FetchWebhookClient({ backoff: { baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 2_000 }),
    ) =>
      runnerFixture({
        handlers: () => [],
        messageRoutes: new WebhookInvocations(parseInvocations(file, jq, 'file.json'), jq, client, new RecordingLogger()),
      });

    it("port-agent's GitLab mapping: renders url, body and secret token with env, reports link and externalRunId", async () => {
      const gitlab = await target(() => ({
        status: 201,
        body: { id: 4242, web_url: 'https://gitlab.example.com/platform/deployer/-/pipelines/4242' },
      }));
      try {
        const engine = await JqWasmEngine.load({ GITLAB_URL: `${gitlab.url}/`, platform_deployer: 'glptt-secret-trigger-token' });
        const fixture = runnerFixture({
          handlers: () => [],
          messageRoutes: new WebhookInvocations(
            parseInvocations(PORT_AGENT_DEFAULT_FILE, engine, 'f.json'),
            engine,
            new FetchWebhookClient(),
            new RecordingLogger(),
          ),
        });
        await fixture.processor.process(gitlabRun('run_gl1'));
        expect(gitlab.received).to.have.length(1);
        const [request] = gitlab.received;
        expect(request!.method).to.equal('POST');
        expect(request!.url).to.equal('/api/v4/projects/platform%2Fdeployer/trigger/pipeline');
        expect(request!.body).to.deep.include({
          ref: 'main',
          token: 'glptt-secret-trigger-token',
          variables: { environment: 'staging', replicas: '3' },
        });
        const run = fixture.port.runs.get('run_gl1')!;
        expect(run.status).to.equal('SUCCESS');
        expect(run.link).to.deep.equal(['https://gitlab.example.com/platform/deployer/-/pipelines/4242']);
        expect(run.externalRunId).to.equal('4242');
        expect(JSON.stringify(run)).to.not.include('glptt-secret-trigger-token');
      } finally {
        await gitlab.close();
      }
    });

    it('a webhook-agent run (the catch-all mapping): the whole message as body; retries 5xx and 429, then SUCCESS', async () => {
      const hook = await target((_, count) => ({ status: count === 1 ? 503 : count === 2 ? 429 : 200 }));
      try {
        const fixture = fixtureWith(PORT_AGENT_DEFAULT_FILE);
        await fixture.processor.process(webhookRun('run_wh1', `${hook.url}/api/test`));
        expect(hook.received).to.have.length(3);
        expect(hook.received[2]!.body).to.deep.include({
          resourceType: 'run',
          context: { entity: null, blueprint: 'Service', runId: 'run_wh1' },
        });
        const run = fixture.port.runs.get('run_wh1')!;
        expect(run.status).to.equal('SUCCESS');
        expect(run.summary).to.equal(`POST ${hook.url} answered HTTP 200 after 3 attempts`);
      } finally {
        await hook.close();
      }
    });

    it('no retry on a 4xx; FAILURE names the status, never the path or query (they may hold secrets)', async () => {
      const hook = await target(() => ({ status: 403 }));
      try {
        const fixture = fixtureWith([{ enabled: true, url: '.payload.action.invocationMethod.url', query: { key: '"s3cr3t-query"' } }]);
        await fixture.processor.process(webhookRun('run_wh2', `${hook.url}/hooks/T000/B000/s3cr3t-path`));
        expect(hook.received).to.have.length(1);
        expect(hook.received[0]!.url).to.equal('/hooks/T000/B000/s3cr3t-path?key=s3cr3t-query');
        const run = fixture.port.runs.get('run_wh2')!;
        expect(run.status).to.equal('FAILURE');
        expect(run.summary).to.equal(`POST ${hook.url} answered HTTP 403`);
        expect(JSON.stringify(run)).to.not.match(/s3cr3t/);
      } finally {
        await hook.close();
      }
    });

    it('the report mapping decides the status over {body, request, response}', async () => {
      const hook = await target(() => ({ status: 200, body: { state: 'rejected', reason: 'quota' } }));
      try {
        const fixture = fixtureWith([
          {
            enabled: '.payload.action.invocationMethod.type == "WEBHOOK"',
            url: '.payload.action.invocationMethod.url',
            method: '"PUT"',
            body: { run: '.context.runId' },
            report: {
              status: 'if .response.json.state == "rejected" then "FAILURE" else "SUCCESS" end',
              summary: '"\\(.request.method) refused: \\(.response.json.reason) (run \\(.body.context.runId))"',
            },
          },
        ]);
        await fixture.processor.process(webhookRun('run_wh3', hook.url));
        expect(hook.received[0]).to.deep.include({ method: 'PUT', body: { run: 'run_wh3' } });
        const run = fixture.port.runs.get('run_wh3')!;
        expect(run.status).to.equal('FAILURE');
        expect(run.summary).to.equal('PUT refused: quota (run run_wh3)');
      } finally {
        await hook.close();
      }
    });

    it('a run no mapping enables is skipped, as without mappings', async () => {
      const fixture = fixtureWith([{ enabled: '.payload.action.invocationMethod.type == "GITHUB"', url: '"http://127.0.0.1:9"' }]);
      const result = await fixture.processor.process(webhookRun('run_wh4', 'http://127.0.0.1:9'));
      expect(result).to.include({ kind: 'skipped', reason: 'unknown-action' });
    });
  });
});
