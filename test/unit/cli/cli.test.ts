import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import WebSocket from 'ws';
import type { CommandIo } from '../../../src/entrypoints/cli/Command.js';
import { COMMANDS } from '../../../src/entrypoints/cli/commands/index.js';
import { createStartCommand } from '../../../src/entrypoints/cli/commands/start.js';
import { runCli } from '../../../src/entrypoints/cli/main.js';
import { startTestGateway, TestClient, testEnv, type TestGateway } from '../../e2e/gateway/support/gatewayHarness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Captures what a command writes. */
function captureIo(env: Record<string, string | undefined> = {}): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env,
    out: () => out,
    err: () => err,
  };
}

describe('hermes CLI', () => {
  describe('help and errors', () => {
    it('--help lists every command with its summary and exits 0', async () => {
      const io = captureIo();
      expect(await runCli(['--help'], io)).to.equal(0);
      for (const command of COMMANDS) expect(io.out()).to.include(command.name).and.include(command.summary);
    });

    it('no command prints the help and exits 2; an unknown one says so and exits 2', async () => {
      const none = captureIo();
      expect(await runCli([], none)).to.equal(2);
      expect(none.out()).to.include('Usage: hermes <command>');
      const unknown = captureIo();
      expect(await runCli(['frobnicate'], unknown)).to.equal(2);
      expect(unknown.err()).to.include('unknown command "frobnicate"');
    });

    for (const name of ['start', 'token', 'publish']) {
      it(`hermes ${name} --help prints its usage and exits 0`, async () => {
        const io = captureIo();
        expect(await runCli([name, '--help'], io)).to.equal(0);
        expect(io.out()).to.match(new RegExp(`^Usage: hermes ${name}`));
      });
    }

    it('reports usage errors with a hint and exit code 2', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['token', '--user', 'alice'], /--room is required/],
        [['token', '--user', 'a', '--room', 'b'], /no admin key: pass --admin-key or set HERMES_ADMIN_KEY/],
        [['publish', '--room', 'acme', '--admin-key', 'k'], /--data is required/],
        [['token', '--bogus'], /Unknown option '--bogus'/],
        [['start', '--port', 'abc'], /--port must be an integer/],
        [['start', '--profile', 'cloud'], /--profile must be one of memory, localstack, aws/],
      ];
      for (const [argv, message] of cases) {
        const io = captureIo();
        expect(await runCli(argv, io), argv.join(' ')).to.equal(2);
        expect(io.err()).to.match(message).and.include('--help');
      }
    });

    it('exits 1 with a clear message when the gateway cannot be reached', async () => {
      const io = captureIo({ HERMES_ADMIN_KEY: 'k'.repeat(20) });
      expect(await runCli(['token', '--user', 'a', '--room', 'b', '--url', 'http://127.0.0.1:9'], io)).to.equal(1);
      expect(io.err()).to.match(/cannot reach the gateway at http:\/\/127\.0\.0\.1:9 .*is `hermes start` running\?/);
    });
  });

  describe('token and publish against a running gateway', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway();
    });
    after(() => gw.stop());

    const flags = (): string[] => ['--url', gw.url];

    it('token prints a token that connects to the room', async () => {
      const io = captureIo({ HERMES_ADMIN_KEY: gw.gateway.adminKey });
      expect(await runCli(['token', '--user', 'alice', '--room', 'acme', ...flags()], io)).to.equal(0);
      const token = io.out().trim();
      const client = await TestClient.open(`${gw.websocketUrl}?token=${token}`);
      await client.close();
    });

    it('token --json prints the whole answer', async () => {
      const io = captureIo();
      expect(
        await runCli(['token', '--user', 'alice', '--room', 'acme', '--admin-key', gw.gateway.adminKey, '--json', ...flags()], io),
      ).to.equal(0);
      expect(JSON.parse(io.out())).to.have.keys(['token', 'expires_at', 'websocket_url']);
    });

    it('publish delivers JSON data (or plain text) to the clients of the room', async () => {
      const client = await gw.connect('bob', 'acme');
      const io = captureIo({ HERMES_ADMIN_KEY: gw.gateway.adminKey });
      expect(await runCli(['publish', '--room', 'acme', '--data', '{"type":"info","data":"Backup done"}', ...flags()], io)).to.equal(0);
      expect(io.out()).to.match(/^queued \S+ for room acme \(type info\)/);
      expect(await client.next()).to.deep.include({ type: 'info', data: { type: 'info', data: 'Backup done' } });
      expect(
        await runCli(['publish', '--room', 'acme', '--data', 'just text', '--type', 'warning', '--user', 'ops', ...flags()], io),
      ).to.equal(0);
      expect(await client.next()).to.deep.include({ type: 'warning', user_id: 'ops', data: 'just text' });
      await client.close();
    });

    it('exits 1 naming the problem for a wrong admin key, a wrong stage, or invalid input', async () => {
      const wrongKey = captureIo({ HERMES_ADMIN_KEY: 'wrong-key-0123456789' });
      expect(await runCli(['token', '--user', 'a', '--room', 'b', ...flags()], wrongKey)).to.equal(1);
      expect(wrongKey.err()).to.include('refused the admin key (HTTP 401)');
      const wrongStage = captureIo({ HERMES_ADMIN_KEY: gw.gateway.adminKey });
      expect(await runCli(['token', '--user', 'a', '--room', 'b', '--stage', 'prod', ...flags()], wrongStage)).to.equal(1);
      expect(wrongStage.err()).to.include('HTTP 404');
      const invalid = captureIo({ HERMES_ADMIN_KEY: gw.gateway.adminKey });
      expect(await runCli(['publish', '--room', 'not valid!', '--data', '1', ...flags()], invalid)).to.equal(1);
      expect(invalid.err()).to.include('HTTP 400').and.include('room_id');
    });
  });

  describe('start', () => {
    it('prints where to go and the generated admin key, serves until asked to stop, then exits 0', async () => {
      let stop!: (signal: NodeJS.Signals) => void;
      const command = createStartCommand(() => new Promise((resolve) => (stop = resolve)));
      const { HERMES_ADMIN_KEY: _unset, ...env } = testEnv();
      // Tests never write into the repository: the dev secrets go to a temporary file.
      const secretsFile = join(mkdtempSync(join(tmpdir(), 'hermes-cli-')), 'dev-secrets.json');
      const io = captureIo({ ...env, HERMES_DEV_SECRETS_FILE: secretsFile });
      const running = command.run(['--stage', 'demo'], io);
      let url: string | undefined;
      while (!url) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        url = /open the demo:\s+(http:\/\/\S+?)\//.exec(io.out())?.[1];
      }
      const key = /admin key:\s+(\S+)\s+\(generated/.exec(io.out())?.[1];
      expect(key).to.be.a('string');
      expect(io.out()).to.match(/runs room:\s+port-runs\s/);
      expect(io.out()).to.include(`HERMES_ADMIN_KEY kept in ${secretsFile} (reused on the next start)`);
      expect(JSON.parse(readFileSync(secretsFile, 'utf8'))).to.deep.equal({ HERMES_ADMIN_KEY: key });
      const page = await fetch(`${url}/`);
      expect(page.status).to.equal(200);
      const html = await page.text();
      expect(html).to.include('data-stage="demo"');
      expect(html).to.include('<option value="port-runs">Port runs</option>');
      const token = await fetch(`${url}/demo/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'a', room_id: 'b' }),
      });
      expect(token.status).to.equal(201);
      const socket = new WebSocket(`${url.replace('http', 'ws')}/demo?token=${((await token.json()) as { token: string }).token}`);
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      stop('SIGTERM');
      expect(await running).to.equal(0);
      expect(await closed).to.equal(1001);
      expect(io.out()).to.include('SIGTERM received').and.include('hermes stopped');
    });

    it('exits 1 with the reason when the gateway cannot start', async () => {
      const gw = await startTestGateway();
      try {
        const secretsFile = join(mkdtempSync(join(tmpdir(), 'hermes-cli-')), 'dev-secrets.json');
        const io = captureIo(testEnv({ HERMES_PORT: String(gw.gateway.port), HERMES_DEV_SECRETS_FILE: secretsFile }));
        const code = await createStartCommand(() => new Promise(() => undefined)).run([], io);
        expect(code).to.equal(1);
        expect(io.err()).to.match(/port \d+ on 127\.0\.0\.1 is already in use: set HERMES_PORT/);
      } finally {
        await gw.stop();
      }
    });
  });

  describe('bin/hermes.js (as installed: node runs it, tsx loads the TypeScript)', () => {
    it('prints the help and exits 0, and exits 2 on a usage error', function () {
      this.timeout(30_000);
      const help = spawnSync(process.execPath, ['bin/hermes.js', '--help'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] },
      });
      expect(help.status, help.stderr).to.equal(0);
      expect(help.stdout).to.include('Usage: hermes <command>');
      const usage = spawnSync(process.execPath, [fileURLToPath(new URL('../../../bin/hermes.js', import.meta.url)), 'publish'], {
        cwd: '/',
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] },
      });
      expect(usage.status).to.equal(2);
      expect(usage.stderr).to.include('--room is required');
    });
  });
});
