import { join } from 'node:path';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { Page } from 'playwright-core';
import { TEST_JWT_SECRET } from '../../support/notificationCore.js';
import { startTestGateway } from '../gateway/support/gatewayHarness.js';
import { withBrowserGateway } from './support/browserGateway.js';

describe('browser demo (chromium)', function () {
  this.timeout(60_000);
  const chrome = withBrowserGateway();

  /** Counts the WebSocket connections the page tries (refused upgrades included). */
  function countSockets(page: Page): { count: number } {
    const counter = { count: 0 };
    page.on('websocket', () => {
      counter.count += 1;
    });
    return counter;
  }

  async function pasteToken(page: Page, token: string): Promise<void> {
    await page.click('#own-token summary');
    await page.fill('#token', token);
  }

  const alertText = async (page: Page): Promise<string> =>
    (await page.waitForSelector('#alert:not([hidden])', { timeout: 10_000 })).innerText();

  async function say(page: Page, type: string, text: string): Promise<void> {
    await page.selectOption('#type', type);
    await page.fill('#text', text);
    await page.click('#send');
  }

  const texts = (page: Page): Promise<string[]> => page.$$eval('#log li .text', (items) => items.map((i) => i.textContent ?? ''));

  it("shows two pages of one room each other's messages, and a third page in another room none of them", async () => {
    const [alice, bob, carol] = [
      await chrome().connectedPage('alice', 'lobby'),
      await chrome().connectedPage('bob', 'lobby'),
      await chrome().connectedPage('carol', 'elsewhere'),
    ];

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
    const page = await chrome().connectedPage('dave', 'ops');
    await chrome().gw.publish('ops', {
      type: 'run',
      data: { runId: 'r_1', action: 'create_vm', status: 'SUCCESS', summary: 'vm-42 created', link: 'https://app.getport.io/vm/vm-42' },
    });
    await chrome().gw.publish('ops', { data: { type: 'danger', data: 'backup failed' } });
    const run = await page.waitForSelector('#log li[data-type="run"]');
    expect(await run.$eval('.text', (e) => e.textContent)).to.equal('create_vm — SUCCESS: vm-42 created');
    expect(await run.$eval('a', (a) => a.getAttribute('href'))).to.equal('https://app.getport.io/vm/vm-42');
    const danger = await page.waitForSelector('#log li[data-type="danger"]');
    expect(await danger.$eval('.text', (e) => e.textContent)).to.equal('backup failed');
  });

  it('serves HermesClient itself as a browser ES module', async () => {
    const page = await chrome().demoPage();
    const kind = await page.evaluate(async () => {
      const url = '/hermes-client.js';
      const module = (await import(url)) as { HermesClient?: unknown };
      return typeof module.HermesClient;
    });
    expect(kind).to.equal('function');
  });

  it('shows the connection state and reconnects on its own when the server drops it', async () => {
    const page = await chrome().connectedPage('erin', 'lobby');
    await chrome().dropConnection(page, 'erin');
    await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
    await page.click('#disconnect');
    await page.waitForSelector('#state[data-state="closed"]');
  });

  it('gives each tab its own random guest name', async () => {
    const [first, second] = [await chrome().demoPage(), await chrome().demoPage()];
    const names = [await first.inputValue('#user'), await second.inputValue('#user')];
    for (const name of names) expect(name).to.match(/^guest-[0-9a-f]{6}$/);
    expect(names[0]).to.not.equal(names[1]);
  });

  it('shows one human message for a name the demo token endpoint refuses, and does not ask again', async () => {
    const page = await chrome().demoPage();
    const requests: Array<{ contentType: string | undefined }> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/local/demo/tokens')) requests.push({ contentType: request.headers()['content-type'] });
    });
    await page.fill('#user', 'bob smith');
    await page.click('#connect');
    expect(await alertText(page)).to.equal('"bob smith" is not accepted as a user name: user names cannot contain spaces.');
    await page.waitForSelector('#state[data-state="closed"]');
    // Longer than the page's first reconnection delays (0.5 s, 1 s): no second request follows.
    await page.waitForTimeout(1_800);
    expect(requests).to.deep.equal([{ contentType: 'application/json' }]);
    expect(await page.innerText('#alert')).to.not.match(/[\^$\\[\]]/);
    expect(await page.isEnabled('#connect')).to.equal(true);
  });

  it('stops after 3 refused upgrades of a pasted token and says why, instead of reconnecting forever', async () => {
    // The browser sees the gateway's 403 only as a close (1006) before `open`: the WebSockets
    // Standard, "Feedback from the protocol" (https://websockets.spec.whatwg.org/#feedback-from-the-protocol),
    // forbids telling scripts a refused handshake from an unreachable server. The page asks /health to
    // tell them apart; the client gives up after 3 refusals in a row (HermesClient unit tests).
    const page = await chrome().demoPage();
    const sockets = countSockets(page);
    const forged = jwt.sign({ user_id: 'mallory', room_id: 'lobby', token: 'f'.repeat(64) }, 'not the gateway secret', {
      algorithm: 'HS512',
      expiresIn: 600,
    });
    await pasteToken(page, forged);
    expect(await page.innerText('#identity')).to.match(/^This token is for mallory in room lobby, valid until /);
    await page.click('#connect');
    expect(await alertText(page)).to.match(/^The gateway refused the token 3 times in a row, so the page stopped trying: /);
    await page.waitForSelector('#state[data-state="closed"]');
    expect(sockets.count).to.equal(3);
    const shots = process.env['HERMES_DEMO_SCREENSHOTS'];
    if (shots) {
      await page.setViewportSize({ width: 390, height: 700 });
      await page.screenshot({ path: join(shots, 'demo-refused-390.png'), fullPage: true });
    }
    await page.waitForTimeout(3_000);
    expect(sockets.count).to.equal(3);
    expect(await page.getAttribute('#state', 'data-state')).to.equal('closed');
  });

  it('says a pasted token has expired when that is why it is refused', async () => {
    const page = await chrome().demoPage();
    const expired = jwt.sign(
      { user_id: 'zoe', room_id: 'vault', token: 'e'.repeat(64), exp: Math.floor(Date.now() / 1000) - 60 },
      TEST_JWT_SECRET,
      {
        algorithm: 'HS512',
      },
    );
    await pasteToken(page, expired);
    await page.click('#connect');
    expect(await alertText(page)).to.match(/^The gateway refused the token: it expired at .+\. Ask for a new one\.$/);
  });

  it('shows the user and room a pasted token carries, and connects with it', async () => {
    const page = await chrome().demoPage();
    await pasteToken(page, await chrome().gw.token('zoe', 'vault'));
    expect(await page.innerText('#identity')).to.match(/^This token is for zoe in room vault, valid until .+\.$/);
    expect(await page.isVisible('#user')).to.equal(false);
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
    await chrome().gw.publish('vault', { data: { type: 'info', data: 'for zoe' } });
    await page.waitForSelector('#log li[data-type="info"] >> text=for zoe');
  });

  it('without demo tokens (every profile but memory) asks for a token and shows who it is for', async () => {
    const page = await chrome().browser.newPage();
    // The page as a gateway without the demo token endpoint serves it (set before the page's module
    // runs: module scripts run after readyState turns "interactive"). Rewriting the response with
    // page.route instead makes Chromium's local network access checks block the WebSocket.
    await page.addInitScript(() => {
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') document.body.dataset['demoTokens'] = 'false';
      });
    });
    await page.goto(`${chrome().gw.url}/`);
    expect(await page.isVisible('#user')).to.equal(false);
    expect(await page.isVisible('#own-token summary')).to.equal(false);
    expect(await page.innerText('#identity')).to.match(/^Paste a connection token/);
    await page.fill('#token', 'not-a-token');
    expect(await page.innerText('#identity')).to.equal('This does not look like a hermes token: it carries no user or room.');
    await page.fill('#token', await chrome().gw.token('yann', 'ops'));
    expect(await page.innerText('#identity')).to.match(/^This token is for yann in room ops, valid until /);
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
    await say(page, 'info', 'token mode works');
    await page.waitForSelector('#log li[data-type="info"] >> text=token mode works');
    expect(await page.isEnabled('#token')).to.equal(false);
  });

  it('refuses a message over the frame limit before sending it, keeps the text and the connection', async () => {
    // API Gateway: "WebSocket frame size 32 KB", "Message payload size 128 KB"; a larger frame or
    // message closes the connection with 1009 (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
    // Chromium sends a 33 KB message in a frame over 32 KB (the gateway closes it with 1009), so the
    // page's client refuses anything over the frame limit it reads from the page.
    const page = await chrome().connectedPage('frank', 'big');
    await page.waitForSelector('#limit >> text=The gateway takes messages of up to 32 KB.');
    const connections = chrome().gw.gateway.websocket.size;
    const big = 'x'.repeat(40_000);
    await say(page, 'info', big);
    expect(await alertText(page)).to.match(/^The message is 39\.1 KB; the gateway accepts at most 32 KB, so it was not sent\.$/);
    expect(await page.inputValue('#text')).to.equal(big);
    await say(page, 'info', 'small enough');
    await page.waitForSelector('#log li[data-type="info"] >> text=small enough');
    expect(await page.isVisible('#alert')).to.equal(false);
    expect(await page.getAttribute('#state', 'data-state')).to.equal('open');
    expect(chrome().gw.gateway.websocket.size).to.equal(connections);
  });

  it('takes the size limit from the gateway it is served by', async () => {
    const small = await startTestGateway({ envExtra: { HERMES_MAX_FRAME_BYTES: '1024' } });
    try {
      const page = await chrome().demoPage(small.url);
      await page.waitForSelector('#limit >> text=The gateway takes messages of up to 1 KB.');
      await page.click('#connect');
      await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
      await say(page, 'info', 'y'.repeat(1_100));
      expect(await alertText(page)).to.match(/the gateway accepts at most 1 KB, so it was not sent\.$/);
      await say(page, 'info', 'z'.repeat(900));
      await page.waitForSelector(`#log li[data-type="info"] >> text=${'z'.repeat(900)}`);
    } finally {
      await small.stop();
    }
  });

  it('fits a 390 px wide screen without horizontal scrolling', async () => {
    const page = await chrome().connectedPage('guest-with-a-rather-long-name-for-a-phone-screen', 'lobby');
    await chrome().gw.publish('lobby', {
      type: 'run',
      data: {
        runId: 'r_390',
        action: 'create_vm',
        status: 'SUCCESS',
        summary: 'created',
        link: `https://app.getport.io/${'very-long-path-segment/'.repeat(6)}`,
      },
    });
    await page.waitForSelector('#log li[data-type="run"]');
    await say(page, 'info', 'w'.repeat(33_000));
    await alertText(page);
    const shots = process.env['HERMES_DEMO_SCREENSHOTS'];
    if (shots) await page.screenshot({ path: join(shots, 'demo-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).to.be.at.most(390);
    expect(widths.client).to.equal(390);
    if (shots) await page.screenshot({ path: join(shots, 'demo-390.png'), fullPage: true });
  });
});
