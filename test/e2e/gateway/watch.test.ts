import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startTestGateway, TestClient, type TestGateway } from './support/gatewayHarness.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'sam-chat');

describe('local gateway: --watch', () => {
  let dir: string;
  let gw: TestGateway;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hermes-watch-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // The copied app resolves its @aws-sdk import as it would in its own project.
    symlinkSync(join(FIXTURE, '..', '..', '..', 'node_modules'), join(dir, 'node_modules'));
    gw = await startTestGateway({ template: join(dir, 'template.yaml'), watch: true });
  });
  after(async () => {
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads a handler whose source changed, and the open connection gets the new code', async function () {
    this.timeout(15_000);
    const client = await TestClient.open(gw.websocketUrl);
    const ask = async (): Promise<Record<string, unknown>> => {
      client.send({ action: 'anything' });
      return JSON.parse(await client.nextText()) as Record<string, unknown>;
    };
    expect(await ask()).to.have.property('routeKey', '$default');

    const file = join(dir, 'src', 'default.mjs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('routeKey: event.requestContext.routeKey', "routeKey: 'reloaded'"));
    const deadline = Date.now() + 10_000;
    let answer = await ask();
    while (answer['routeKey'] !== 'reloaded' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await ask();
    }
    expect(answer['routeKey']).to.equal('reloaded');
    expect(client.socket.readyState).to.equal(client.socket.OPEN);
    await client.close();
  });
});

describe("local gateway: reloading hermes' own handlers", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  it('re-imports them on the same composition: an open connection keeps its room and messages still flow', async function () {
    this.timeout(15_000);
    const before = gw.gateway.functions.handler('SendMessageFunction');
    const client = await gw.connect('alice', 'acme');
    await gw.gateway.functions.reload();
    expect(gw.gateway.functions.handler('SendMessageFunction')).to.not.equal(before);
    client.send({ action: 'sendMessage', data: 'after reload' });
    expect(await client.next()).to.include({ data: 'after reload' });
    await client.close();
  });
});
