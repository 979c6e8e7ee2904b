import { expect } from 'chai';
import { PortApiClient } from '../../../src/adapters/port/PortApiClient.js';
import { PortRequestRejectedError } from '../../../src/application/runs/errors/PortRequestRejectedError.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { RUN_TOKENS } from '../../../src/application/runs/tokens.js';
import type { RunProcessor } from '../../../src/application/runs/RunProcessor.js';
import type { ProvisionPortCatalog } from '../../../src/application/runs/usecases/ProvisionPortCatalog.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';
import { tutorialMessage } from '../../unit/runs/support.js';

describe('PortApiClient against a fake Port API', function () {
  let fake: FakePortApi;

  afterEach(async function () {
    const violations = fake?.violations ?? [];
    await fake?.stop();
    // Every request the client sent fits Port's request schemas.
    expect(violations).to.deep.equal([]);
  });

  function clientFor(api: FakePortApi, options: { maxAttempts?: number } = {}): PortApiClient {
    return new PortApiClient({
      baseUrl: api.url,
      credentials: async () => api.credentials,
      baseDelayMs: 10,
      maxDelayMs: 50,
      ...options,
    });
  }

  it('requests one token for 200 concurrent calls, then refreshes it before it expires', async function () {
    // A 2 s token, refreshed 200 ms (a tenth of its life) before it ends: the burst has 1.8 s to share one token,
    // room enough on a loaded 2-core machine (a 1 s token made this test flaky there).
    fake = await startFakePortApi({ tokenTtlSeconds: 2, latencyMs: 5 });
    const client = new PortApiClient({ baseUrl: fake.url, credentials: async () => fake.credentials, tokenRefreshMarginMs: 200 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.addRunLog(`run_${i % 10}`, `line ${i}`)));
    expect(fake.count('auth')).to.equal(1);
    expect(fake.count('addRunLog')).to.equal(200);

    // Past the refresh point whatever the burst took, and refreshed before use: never a 401.
    await new Promise((resolve) => setTimeout(resolve, 1_950));
    await client.addRunLog('run_0', 'after expiry');
    expect(fake.count('auth')).to.equal(2);
    expect(fake.calls.filter((call) => call.status === 401)).to.have.length(0);
  });

  it('recovers from a revoked token with one refresh', async function () {
    fake = await startFakePortApi();
    const client = clientFor(fake);
    await client.addRunLog('run_1', 'first');
    fake.revokeTokens();
    await client.addRunLog('run_1', 'second');
    expect(fake.count('auth')).to.equal(2);
    expect(fake.runs.get('run_1')?.logs).to.deep.equal(['first', 'second']);
  });

  it('retries injected 429 (honouring retry-after) and 500 responses', async function () {
    fake = await startFakePortApi();
    const client = clientFor(fake);
    fake.failNext({ status: 429, headers: { 'retry-after': '0.3' }, route: 'patchRun' });
    fake.failNext({ status: 500, route: 'patchRun' });
    const started = Date.now();
    await client.updateRun('run_2', { status: 'SUCCESS', summary: 'done' });
    expect(Date.now() - started).to.be.at.least(290);
    expect(fake.calls.filter((call) => call.route === 'patchRun').map((call) => call.status)).to.deep.equal([429, 500, 200]);
    expect(fake.runs.get('run_2')).to.include({ status: 'SUCCESS', summary: 'done' });
  });

  it('gives up with PortUnavailableError, and raises PortRequestRejectedError for a 4xx at once', async function () {
    fake = await startFakePortApi({ knownRunsOnly: true });
    const client = clientFor(fake, { maxAttempts: 3 });
    fake.failNext({ status: 503, route: 'upsertEntity' }, 3);
    const unavailable = await client.upsertEntity('vm', { identifier: 'a', properties: {} }).catch((error: unknown) => error);
    expect(unavailable).to.be.instanceOf(PortUnavailableError);
    expect(fake.count('upsertEntity')).to.equal(3);

    const rejected = await client.updateRun('run_unknown', { status: 'SUCCESS' }).catch((error: unknown) => error);
    expect(rejected).to.be.instanceOf(PortRequestRejectedError);
    expect(rejected).to.include({ status: 404, portError: 'not_found' });
    expect(fake.count('patchRun')).to.equal(1);
  });

  it('provisions the vm blueprint and the create_vm action, then updates them', async function () {
    fake = await startFakePortApi();
    const container = buildContainer('memory', {
      env: { PORT_API_URL: fake.url, PORT_CLIENT_ID: fake.credentials.clientId, PORT_CLIENT_SECRET: fake.credentials.clientSecret },
    });
    const provision = container.get<ProvisionPortCatalog>(RUN_TOKENS.ProvisionPortCatalog);
    expect(await provision.execute()).to.deep.equal({
      blueprints: [{ identifier: 'vm', disposition: 'created' }],
      actions: [{ identifier: 'create_vm', disposition: 'created' }],
    });
    expect((await provision.execute()).actions[0]?.disposition).to.equal('updated');
    expect(fake.blueprints.get('vm')?.['schema']).to.have.nested.property('properties.cpu_cores.type', 'number');
    expect(fake.actions.get('create_vm')).to.deep.include({ invocationMethod: { type: 'KAFKA' } });
    expect(fake.actions.get('create_vm')).to.have.nested.property('trigger.operation', 'CREATE');
    expect(fake.actions.get('create_vm')).to.have.deep.nested.property('trigger.userInputs.required', [
      'cpu',
      'memory',
      'storage',
      'region',
    ]);
  });

  it('runs the tutorial message end to end through HandleActionRun, its independent calls in flight together', async function () {
    fake = await startFakePortApi({ latencyMs: 50 });
    const container = buildContainer('memory', {
      env: { PORT_API_URL: fake.url, PORT_CLIENT_ID: fake.credentials.clientId, PORT_CLIENT_SECRET: fake.credentials.clientSecret },
    });
    const handleRun = container.get<RunProcessor>(RUN_TOKENS.RunProcessor);
    const result = await handleRun.process(JSON.stringify(tutorialMessage('run_e2e')));
    expect(result.kind).to.equal('completed');
    const entity = fake.entities.get('vm/backend-prod-vm');
    expect(entity).to.include({ runId: 'run_e2e', upsert: true });
    expect(entity?.body['properties']).to.deep.equal({
      cpu_cores: 2,
      memory_size: 4,
      storage_size: 50,
      region: 'eu-west-1',
      deployed: 'Deploying',
    });
    expect(fake.runs.get('run_e2e')).to.include({ status: 'SUCCESS', statusLabel: 'Deploying' });
    expect(fake.runs.get('run_e2e')?.logs).to.have.length(2);

    // The two log lines and the upsert arrive within one latency of each other; the status comes after them.
    const arrivals = (route: string) => fake.calls.filter((call) => call.route === route).map((call) => call.at);
    const together = [...arrivals('addRunLog'), ...arrivals('upsertEntity')];
    expect(together).to.have.length(3);
    expect(Math.max(...together) - Math.min(...together)).to.be.below(50);
    expect(arrivals('patchRun')[0]).to.be.at.least(Math.max(...together) + 50);
  });

  it("sends every runner request in a shape Port's schemas accept (token, PATCH, log ending the run, merged upsert)", async function () {
    fake = await startFakePortApi();
    const client = clientFor(fake);
    await client.upsertEntity('vm', { identifier: 'vm-s', title: 'S', properties: { cpu_cores: 2 } }, { runId: 'run_s' });
    await client.addRunLog('run_s', 'working');
    await client.addRunLog('run_s', 'done', 'SUCCESS');
    await client.updateRun('run_t', { status: 'FAILURE', statusLabel: 'Failed', summary: 's', link: ['https://x'] });
    expect(fake.violations).to.deep.equal([]);
    expect(fake.entities.get('vm/vm-s')).to.include({ upsert: true, merge: true, runId: 'run_s' });
    expect(fake.runs.get('run_s')).to.include({ status: 'SUCCESS', terminations: 1, patches: 0 });
  });
});
