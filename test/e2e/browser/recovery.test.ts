import { expect } from 'chai';
import type { Page, Route } from 'playwright-core';
import { withBrowserGateway } from './support/browserGateway.js';

/** The room keeps 5 notifications: five missed come back, seven missed leave a gap of two. */
const HISTORY_SIZE = 5;

describe('browser demo: missed-notification recovery and presence (chromium)', function () {
  this.timeout(60_000);
  const chrome = withBrowserGateway({ envExtra: { HERMES_HISTORY_SIZE: String(HISTORY_SIZE), HERMES_PRESENCE_EVENTS: 'true' } });

  /** The notification texts of the log, oldest first (the page lists the newest on top). */
  const texts = async (page: Page): Promise<string[]> =>
    (
      await page.$$eval('#log li:not([data-type="recovery"]):not([data-type="gap"]) .text', (items) =>
        items.map((i) => i.textContent ?? ''),
      )
    ).reverse();

  /**
   * Drops the page's connection from the server side and keeps it off (its token requests are held)
   * while `whileAway` runs; then lets it reconnect.
   */
  async function dropWhile(page: Page, user: string, whileAway: () => Promise<void>): Promise<void> {
    const held: Route[] = [];
    await page.route('**/demo/tokens', (route) => {
      held.push(route);
    });
    await chrome().dropConnection(page, user);
    await whileAway();
    await page.unroute('**/demo/tokens');
    for (const route of held) await route.continue();
  }

  it('drops a page, publishes five notifications, restores it: all five in order and "5 missed notifications recovered"', async () => {
    const page = await chrome().connectedPage('frank', 'recovery');
    await chrome().gw.publish('recovery', { type: 'info', data: 'before the tunnel' });
    await page.waitForSelector('#log li >> text=before the tunnel');

    await dropWhile(page, 'frank', async () => {
      for (let i = 1; i <= 5; i += 1)
        expect((await chrome().gw.publish('recovery', { type: 'info', data: `missed ${i}` })).status).to.equal(202);
    });

    const marker = await page.waitForSelector('#log li[data-type="recovery"]', { timeout: 15_000 });
    expect(await marker.$eval('.text', (e) => e.textContent)).to.equal('5 missed notifications recovered');
    expect(await texts(page)).to.deep.equal(['before the tunnel', 'missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5']);
    // Live again: the next one follows, once.
    await chrome().gw.publish('recovery', { type: 'info', data: 'after' });
    await page.waitForSelector('#log li >> text=after');
    expect((await texts(page)).slice(-2)).to.deep.equal(['missed 5', 'after']);
    expect(await page.$$('#log li[data-type="gap"]')).to.have.length(0);
  });

  it('marks a gap when more were missed than the room keeps, then shows what it kept', async () => {
    const page = await chrome().connectedPage('grace', 'tunnel');
    await chrome().gw.publish('tunnel', { type: 'info', data: 'seen' });
    await page.waitForSelector('#log li >> text=seen');

    await dropWhile(page, 'grace', async () => {
      for (let i = 1; i <= HISTORY_SIZE + 2; i += 1) await chrome().gw.publish('tunnel', { type: 'info', data: `lost or kept ${i}` });
    });

    const gap = await page.waitForSelector('#log li[data-type="gap"]', { timeout: 15_000 });
    // seq 1 was seen; 2..8 were published; the room kept 4..8, so 2 and 3 are lost.
    expect(await gap.$eval('.text', (e) => e.textContent)).to.equal('Gap: notifications #2–#3 could not be recovered');
    await page.waitForSelector('#log li[data-type="recovery"] >> text=5 missed notifications recovered');
    expect(await texts(page)).to.deep.equal([
      'seen',
      'lost or kept 3',
      'lost or kept 4',
      'lost or kept 5',
      'lost or kept 6',
      'lost or kept 7',
    ]);
  });

  it('lists who is in the room, live', async () => {
    const henry = await chrome().connectedPage('henry', 'presence');
    const names = (page: Page): Promise<string[]> =>
      page.$$eval('#presence li', (items) => items.map((i) => i.getAttribute('data-user') ?? ''));
    await henry.waitForFunction(() => document.querySelectorAll('#presence li').length === 1);
    expect(await names(henry)).to.deep.equal(['henry']);

    const iris = await chrome().connectedPage('iris', 'presence');
    await henry.waitForSelector('#presence li[data-user="iris"]');
    await iris.waitForSelector('#presence li[data-user="henry"]');
    expect(await names(iris)).to.deep.equal(['henry', 'iris']);

    await iris.click('#disconnect');
    await henry.waitForFunction(() => document.querySelector('#presence li[data-user="iris"]') === null);
    expect(await names(henry)).to.deep.equal(['henry']);
  });
});
