import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestGateway, type TestGateway } from '../gateway/support/gatewayHarness.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

describe('browser demo (chromium)', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let profileDir: string;
  let browser: BrowserContext;

  before(async () => {
    gw = await startTestGateway();
    profileDir = await mkdtemp(join(tmpdir(), 'hermes-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await gw?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  async function openPage(user: string, room: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${gw.url}/`);
    await page.fill('#user', user);
    await page.fill('#room', room);
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
    return page;
  }

  async function say(page: Page, type: string, text: string): Promise<void> {
    await page.selectOption('#type', type);
    await page.fill('#text', text);
    await page.click('#send');
  }

  const texts = (page: Page): Promise<string[]> => page.$$eval('#log li .text', (items) => items.map((i) => i.textContent ?? ''));

  it('shows two pages of one room each other\'s messages, and a third page in another room none of them', async () => {
    const [alice, bob, carol] = [await openPage('alice', 'lobby'), await openPage('bob', 'lobby'), await openPage('carol', 'elsewhere')];

    await say(alice, 'info', 'hello from alice');
    await say(bob, 'warning', 'hello from bob');
    for (const page of [alice, bob]) {
      await page.waitForSelector('#log li[data-type="info"] >> text=hello from alice');
      await page.waitForSelector('#log li[data-type="warning"] >> text=hello from bob');
    }

    await say(carol, 'danger', 'carol only');
    await carol.waitForSelector('#log li[data-type="danger"] >> text=carol only');
    // Carol's own message arrived after alice's and bob's: had theirs reached her, they would be listed too.
    expect(await texts(carol)).to.deep.equal(['carol only']);
    await alice.waitForTimeout(100);
    expect(await texts(alice)).to.have.members(['hello from alice', 'hello from bob']);
    expect(await texts(bob)).to.have.members(['hello from alice', 'hello from bob']);
  });

  it('shows backend notifications dispatched by type, Port run notifications included', async () => {
    const page = await openPage('dave', 'ops');
    await gw.publish('ops', {
      type: 'run',
      data: { runId: 'r_1', action: 'create_vm', status: 'SUCCESS', summary: 'vm-42 created', link: 'https://app.getport.io/vm/vm-42' },
    });
    await gw.publish('ops', { data: { type: 'danger', data: 'backup failed' } });
    const run = await page.waitForSelector('#log li[data-type="run"]');
    expect(await run.$eval('.text', (e) => e.textContent)).to.equal('create_vm — SUCCESS: vm-42 created');
    expect(await run.$eval('a', (a) => a.getAttribute('href'))).to.equal('https://app.getport.io/vm/vm-42');
    const danger = await page.waitForSelector('#log li[data-type="danger"]');
    expect(await danger.$eval('.text', (e) => e.textContent)).to.equal('backup failed');
  });

  it('serves HermesClient itself as a browser ES module', async () => {
    const page = await browser.newPage();
    await page.goto(`${gw.url}/`);
    const kind = await page.evaluate(async () => {
      const url = '/hermes-client.js';
      const module = (await import(url)) as { HermesClient?: unknown };
      return typeof module.HermesClient;
    });
    expect(kind).to.equal('function');
  });

  it('shows the connection state and reconnects on its own when the server drops it', async () => {
    const page = await openPage('erin', 'lobby');
    const [connectionId] = gw.gateway.websocket.connectionIds().filter((id) => gw.gateway.websocket.get(id)?.authorizer['user_id'] === 'erin');
    expect(connectionId).to.be.a('string');
    const response = await fetch(`${gw.url}/local/@connections/${encodeURIComponent(connectionId as string)}`, { method: 'DELETE' });
    expect(response.status).to.equal(204);
    await page.waitForSelector('#state[data-state="reconnecting"]', { timeout: 5_000 });
    await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
    await page.click('#disconnect');
    await page.waitForSelector('#state[data-state="closed"]');
  });
});
