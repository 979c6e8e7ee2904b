import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runCli } from '../../../src/entrypoints/cli/main.js';
import { redactUrl, withoutCredentials } from '../../../src/domain/shared/redactUrl.js';
import { freePort } from '../../support/services/freePort.js';
import { startTestGateway } from '../../e2e/gateway/support/gatewayHarness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = 's3cr3t-pa55';

function captureIo(env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  return {
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    env,
    all: () => out + err,
    err: () => err,
  };
}

describe('redactUrl', () => {
  it('replaces the userinfo of URLs, in a URL or in any text, and leaves the rest', () => {
    expect(redactUrl(`http://u:${SECRET}@127.0.0.1:3001/local/tokens`)).to.equal('http://***@127.0.0.1:3001/local/tokens');
    expect(redactUrl(`https://${SECRET}@example.com`)).to.equal('https://***@example.com');
    // The last @ of the authority ends the userinfo, as URL parsers read it.
    expect(redactUrl(`http://u@x:${SECRET}@host/a@b`)).to.equal('http://***@host/a@b');
    expect(redactUrl(`fetch http://a:${SECRET}@h1/x failed, then ws://b:${SECRET}@h2`)).to.equal(
      'fetch http://***@h1/x failed, then ws://***@h2',
    );
    // Unparsable URLs are redacted too.
    expect(redactUrl(`http://u:${SECRET}@127.0.0.1:notaport`)).to.equal('http://***@127.0.0.1:notaport');
    for (const plain of ['http://127.0.0.1:3001/local', 'mailto:someone@example.com', 'user@example.com', 'no url here']) {
      expect(redactUrl(plain)).to.equal(plain);
    }
  });

  it('withoutCredentials strips the userinfo for requests', () => {
    expect(withoutCredentials(new URL(`http://u:${SECRET}@127.0.0.1:3001/x`)).href).to.equal('http://127.0.0.1:3001/x');
  });
});

describe('hermes CLI never prints credentials given in --url', () => {
  it('gateway down: the message names the redacted URL and no secret', async () => {
    const port = await freePort();
    for (const command of [
      ['token', '--user', 'a', '--room', 'b'],
      ['publish', '--room', 'b', '--data', 'x'],
      ['port', 'simulate', 'create_vm', '--cpu', '2', '--memory', '4', '--storage', '20', '--region', 'eu-west-1'],
    ]) {
      const io = captureIo({ HERMES_ADMIN_KEY: 'k'.repeat(20) });
      expect(await runCli([...command, '--url', `http://alice:${SECRET}@127.0.0.1:${port}`], io), command.join(' ')).to.equal(1);
      expect(io.err()).to.include(`cannot reach the gateway at http://***@127.0.0.1:${port}`).and.include('ECONNREFUSED');
      expect(io.all()).to.not.include(SECRET).and.not.include('alice');
    }
  });

  it("hermes port provision: a PORT_API_URL with userinfo is not echoed by the Port client's errors", async function () {
    this.timeout(30_000);
    const port = await freePort();
    const io = captureIo({
      PORT_API_URL: `http://u:${SECRET}@127.0.0.1:${port}/v1`,
      PORT_CLIENT_ID: 'id',
      PORT_CLIENT_SECRET: 'client-secret',
    });
    expect(await runCli(['port', 'provision'], io)).to.equal(1);
    expect(io.err()).to.include('Port is unavailable').and.include(`http://***@127.0.0.1:${port}/v1`);
    expect(io.all()).to.not.include(SECRET);
  });

  it('an unparsable --url is a usage error that does not echo the secret', async () => {
    const io = captureIo({ HERMES_ADMIN_KEY: 'k'.repeat(20) });
    expect(await runCli(['token', '--user', 'a', '--room', 'b', '--url', `http://u:${SECRET}@127.0.0.1:port`], io)).to.equal(2);
    expect(io.err()).to.include('not a URL: http://***@127.0.0.1:port');
    expect(io.all()).to.not.include(SECRET);
  });

  it('gateway up: the userinfo is not sent (fetch refuses it) and the call works with the admin key', async () => {
    const gw = await startTestGateway();
    try {
      const io = captureIo({ HERMES_ADMIN_KEY: gw.gateway.adminKey });
      const url = gw.url.replace('http://', `http://u:${SECRET}@`);
      expect(await runCli(['token', '--user', 'a', '--room', 'b', '--url', url], io), io.all()).to.equal(0);
      expect(io.all()).to.not.include(SECRET);
      const wrongStage = captureIo({ HERMES_ADMIN_KEY: gw.gateway.adminKey });
      expect(await runCli(['token', '--user', 'a', '--room', 'b', '--stage', 'nope', '--url', url], wrongStage)).to.equal(1);
      expect(wrongStage.err()).to.include('HTTP 404 from http://***@127.0.0.1');
      expect(wrongStage.all()).to.not.include(SECRET);
    } finally {
      await gw.stop();
    }
  });

  it('as a real process (bin/hermes.js): no secret on stdout or stderr', async function () {
    this.timeout(30_000);
    const port = await freePort();
    const run = spawnSync(
      process.execPath,
      ['bin/hermes.js', 'token', '--user', 'a', '--room', 'b', '--url', `http://u:${SECRET}@127.0.0.1:${port}`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'], HERMES_ADMIN_KEY: 'k'.repeat(20) },
      },
    );
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('cannot reach the gateway at http://***@');
    expect(run.stdout + run.stderr).to.not.include(SECRET);
  });
});

describe('hermes CLI: the last line of defence', () => {
  it('redacts URL userinfo in the message of any error a command throws', async () => {
    const io = captureIo();
    const leaky = {
      name: 'leaky',
      summary: 'throws an error that quotes a URL with credentials',
      usage: 'Usage: hermes leaky',
      run: () => Promise.reject(new Error(`cannot reach http://admin:${SECRET}@127.0.0.1:1/x`)),
    };
    expect(await runCli(['leaky'], io, [leaky])).to.equal(1);
    expect(io.err()).to.include('http://***@127.0.0.1:1/x');
    expect(io.all()).to.not.include(SECRET);
  });
});
