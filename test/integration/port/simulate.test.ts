import { expect } from 'chai';
import WebSocket from 'ws';
import type { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import type { CommandIo } from '../../../src/entrypoints/cli/Command.js';
import { portCommand } from '../../../src/entrypoints/cli/commands/port.js';
import { PORT_RUNNER_TOKENS } from '../../../src/entrypoints/di/portRunnerModule.js';
import { startGateway, type RunningGateway } from '../../../src/entrypoints/standalone/startGateway.js';
import { kafkaMockCluster, uniqueName } from '../../support/services/index.js';
import { rawDataText } from '../../support/rawDataText.js';

const ADMIN_KEY = 'admin-key-for-port-tests-0123456789';

function cli(env: Record<string, string>): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (text) => void (out += text), stderr: (text) => void (err += text), env },
    out: () => out,
    err: () => err,
  };
}

async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A WebSocket client of `room`, collecting the notifications it receives. */
async function joinRoom(gateway: RunningGateway, room: string): Promise<{ messages: Array<Record<string, unknown>>; close(): void }> {
  const response = await fetch(`${gateway.url}/${gateway.stage}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'watcher', room_id: room }),
  });
  const { token } = (await response.json()) as { token: string };
  const socket = new WebSocket(`${gateway.websocketUrl}?token=${encodeURIComponent(token)}`);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(rawDataText(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { messages, close: () => socket.close() };
}

describe('hermes port simulate', function () {
  this.timeout(60_000);
  let gateway: RunningGateway | undefined;

  afterEach(async function () {
    await gateway?.stop();
    gateway = undefined;
  });

  it('without Kafka: the local gateway runs it in process; the runs room sees it live', async function () {
    gateway = await startGateway({
      profile: 'memory',
      env: { HERMES_PORT: '0', HERMES_ADMIN_KEY: ADMIN_KEY, PORT_ORG_ID: 'org_sim', BCRYPT_COST: '4' },
    });
    const watcher = await joinRoom(gateway, 'port-org_sim');
    const run = cli({ HERMES_ADMIN_KEY: ADMIN_KEY });
    const code = await portCommand.run(
      [
        'simulate',
        'create_vm',
        '--title',
        'Sim VM',
        '--cpu',
        '2',
        '--memory',
        '4',
        '--storage',
        '20',
        '--region',
        'us-east-1',
        '--url',
        gateway.url,
      ],
      run.io,
    );
    expect(run.err()).to.equal('');
    expect(code).to.equal(0);
    expect(run.out()).to.match(/^run run_sim_[0-9a-f]+: SUCCESS — VM "Sim VM" \(sim-vm\)/);

    const port = gateway.container.get<InMemoryPortApi>(PORT_RUNNER_TOKENS.PortAdapter);
    expect(port.entity('vm', 'sim-vm')?.properties).to.include({ cpu_cores: 2, region: 'us-east-1', deployed: 'Deploying' });
    await until('both run notifications', () => watcher.messages.length >= 2);
    expect(watcher.messages.map((m) => [m['type'], (m['data'] as Record<string, unknown>)['status']])).to.deep.equal([
      ['run', 'IN_PROGRESS'],
      ['run', 'SUCCESS'],
    ]);
    watcher.close();
  });

  it('simulates any action: a handler module (HERMES_ACTION_HANDLERS) loaded by the gateway runs it', async function () {
    gateway = await startGateway({
      profile: 'memory',
      env: {
        HERMES_PORT: '0',
        HERMES_ADMIN_KEY: ADMIN_KEY,
        BCRYPT_COST: '4',
        HERMES_ACTION_HANDLERS: 'examples/handlers/restartService.ts,examples/handlers/deleteVm.ts',
      },
    });
    const run = cli({ HERMES_ADMIN_KEY: ADMIN_KEY });
    const args = ['simulate', 'restart_service', '--operation', 'DAY-2', '--entity', 'checkout', '--blueprint', 'service'];
    expect(await portCommand.run([...args, '--input', 'environment=staging', '--url', gateway.url], run.io)).to.equal(0);
    expect(run.out()).to.match(/^run run_sim_[0-9a-f]+: SUCCESS — checkout restarted in staging\n {2}https:\/\/grafana\.example\.com/);

    const refused = cli({ HERMES_ADMIN_KEY: ADMIN_KEY });
    expect(await portCommand.run([...args, '--inputs', '{"environment":"qa"}', '--url', gateway.url], refused.io)).to.equal(1);
    expect(refused.out()).to.match(/FAILURE — invalid inputs for restart_service: environment must be production or staging/);
  });

  it('stops start-up when a handler module does not load, naming the file', async function () {
    const starting = startGateway({
      profile: 'memory',
      env: { HERMES_PORT: '0', HERMES_ADMIN_KEY: ADMIN_KEY, BCRYPT_COST: '4', HERMES_ACTION_HANDLERS: 'examples/handlers/missing.ts' },
    });
    const error = await starting.then(
      (started) => {
        gateway = started;
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect((error as Error).message).to.include('HERMES_ACTION_HANDLERS: examples/handlers/missing.ts could not be loaded');
  });

  it('exits 1 with the FAILURE summary for inputs the action refuses; a missing option is a usage error', async function () {
    gateway = await startGateway({ profile: 'memory', env: { HERMES_PORT: '0', HERMES_ADMIN_KEY: ADMIN_KEY, BCRYPT_COST: '4' } });
    const refused = cli({ HERMES_ADMIN_KEY: ADMIN_KEY });
    const args = ['simulate', 'create_vm', '--cpu', '2', '--memory', '4', '--storage', '20', '--url', gateway.url];
    expect(await portCommand.run([...args, '--region', 'mars-1'], refused.io)).to.equal(1);
    expect(refused.out()).to.match(/FAILURE — invalid inputs for create_vm: region must be one of/);

    const usage = cli({ HERMES_ADMIN_KEY: ADMIN_KEY });
    const withoutCpu = ['simulate', 'create_vm', '--memory', '4', '--storage', '20', '--region', 'eu-west-1', '--url', gateway.url];
    await portCommand.run(withoutCpu, usage.io).then(
      () => expect.fail('a usage error should throw'),
      (error: unknown) => expect(error).to.include({ name: 'UsageError', message: '--cpu is required' }),
    );
  });

  it('guards the gateway route with the admin key and refuses what is not a run', async function () {
    gateway = await startGateway({ profile: 'memory', env: { HERMES_PORT: '0', HERMES_ADMIN_KEY: ADMIN_KEY, BCRYPT_COST: '4' } });
    const url = `${gateway.url}/${gateway.stage}/port/runs`;
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).to.equal(401);
    const garbage = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(garbage.status).to.equal(422);
    expect(await garbage.json()).to.have.nested.property('error.code', 'RUN_MESSAGE_INVALID');
    // Issue 10 item 3: ~2,500 levels (5 KB) overflowed the schema validation's stack: a 500 before.
    const deep = `{"context":{"runId":"run_deep"},"action":"create_vm","inputs":${'['.repeat(2_500)}${']'.repeat(2_500)}}`;
    const nested = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: deep,
    });
    expect(nested.status).to.equal(422);
    expect(((await nested.json()) as { error: { message: string } }).error.message).to.match(/nested deeper than 64 levels/);
  });

  it('with KAFKA_BROKERS: produces to the runs topic, where the runner of `hermes start` takes it', async function () {
    const { brokers } = await kafkaMockCluster();
    const env = {
      HERMES_PORT: '0',
      HERMES_ADMIN_KEY: ADMIN_KEY,
      BCRYPT_COST: '4',
      PORT_ORG_ID: 'org_kafka',
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_RUNS_TOPIC: uniqueName('org_kafka.runs'),
      KAFKA_CONSUMER_GROUP_NAME: uniqueName('org_kafka.hermes'),
    };
    // Serves at once; the runner joins its group in the background, and /health says when it consumes (new runs only, as Port's LATEST).
    gateway = await startGateway({ profile: 'memory', env });
    const health = async (): Promise<{ status: string; runner?: { state: string } }> =>
      (await (await fetch(`${gateway!.url}/health`)).json()) as { status: string; runner?: { state: string } };
    let seen = await health();
    expect(seen.runner).to.not.equal(undefined);
    const deadline = Date.now() + 30_000;
    while (seen.runner?.state !== 'consuming' && Date.now() < deadline) {
      expect(seen.status).to.equal('degraded');
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await health();
    }
    expect(seen).to.deep.include({ status: 'ok' });
    expect(seen.runner?.state).to.equal('consuming');
    const run = cli(env);
    const code = await portCommand.run(
      [
        'simulate',
        'create_vm',
        '--run-id',
        'run_via_kafka',
        '--title',
        'Kafka VM',
        '--cpu',
        '1',
        '--memory',
        '2',
        '--storage',
        '8',
        '--region',
        'eu-west-2',
      ],
      run.io,
    );
    expect(code).to.equal(0);
    expect(run.out()).to.match(new RegExp(`^produced run run_via_kafka to ${env.KAFKA_RUNS_TOPIC} \\(partition \\d, offset \\d+\\)`));
    const port = gateway.container.get<InMemoryPortApi>(PORT_RUNNER_TOKENS.PortAdapter);
    await until('the run consumed and reported', () => port.runs.get('run_via_kafka')?.status === 'SUCCESS', 30_000);
    expect(port.entity('vm', 'kafka-vm')?.runId).to.equal('run_via_kafka');
  });
});
