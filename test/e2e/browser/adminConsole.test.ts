import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { ConnectionRepository } from '../../../src/application/notifications/ports/ConnectionRepository.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import { InMemoryConnectionRepository } from '../../../src/adapters/memory/InMemoryConnectionRepository.js';
import { SystemClock } from '../../../src/adapters/system/SystemClock.js';
import { createVmRunMessage } from '../../../src/entrypoints/cli/commands/port.js';
import { TEST_ADMIN_KEY } from '../gateway/support/gatewayHarness.js';
import { withBrowserGateway } from './support/browserGateway.js';

/** `HERMES_UPDATE_SCREENSHOTS=1 npx mocha test/e2e/browser/adminConsole.test.ts` refreshes the README's screenshot. */
const SCREENSHOT = process.env['HERMES_UPDATE_SCREENSHOTS'] ? join(process.cwd(), 'docs', 'admin-console.png') : undefined;

/** The in-memory connection store, with room reads failing while `broken` (a DynamoDB outage, say). */
function flakyConnections(): { repository: ConnectionRepository; setBroken(broken: boolean): void } {
  const inner = new InMemoryConnectionRepository(new SystemClock());
  let broken = false;
  const repository: ConnectionRepository = {
    save: (connection) => inner.save(connection),
    get: (id) => inner.get(id),
    delete: (id) => inner.delete(id),
    deleteMany: (ids) => inner.deleteMany(ids),
    findByRoom: async (roomId, page) => {
      if (broken) throw new Error('the connection store is unavailable');
      return inner.findByRoom(roomId, page);
    },
  };
  return { repository, setBroken: (value) => (broken = value) };
}

describe('operator console (chromium)', function () {
  this.timeout(60_000);
  const connections = flakyConnections();
  const chrome = withBrowserGateway({
    envExtra: { PORT_ORG_ID: 'org_console' },
    values: [[NOTIFICATION_TOKENS.ConnectionRepository, connections.repository]],
  });

  const counter = async (page: Page, id: string): Promise<number> => Number(await page.textContent(`#${id}`));

  it('shows live rooms, publishes from the form, counts deliveries, lists runs, and redrives a dead letter', async () => {
    const page = await chrome().browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${chrome().gw.url}/admin`);
    await page.fill('#admin-key', TEST_ADMIN_KEY);
    await page.click('#key-save');
    await page.waitForSelector('body[data-state="open"]');
    expect(await page.evaluate(() => sessionStorage.getItem('hermes.adminKey'))).to.equal(TEST_ADMIN_KEY);

    const alice = await chrome().gw.connect('alice', 'ops');
    const bob = await chrome().gw.connect('bob', 'ops');
    await page.waitForSelector('#rooms tr[data-room="ops"] td.connections >> text=2', { timeout: 10_000 });
    expect(await page.textContent('#rooms tr[data-room="ops"] td.users')).to.equal('2');

    const deliveriesBefore = await counter(page, 'total-deliveries');
    await page.fill('#publish-room', 'ops');
    await page.selectOption('#publish-type', 'warning');
    await page.fill('#publish-data', 'maintenance at 22:00');
    await page.click('#publish-send');
    for (const client of [alice, bob])
      expect((await client.next((m) => m['data'] === 'maintenance at 22:00', 5_000))['type']).to.equal('warning');
    await page.waitForFunction(
      (before) => Number(document.getElementById('total-deliveries')?.textContent) >= before + 2,
      deliveriesBefore,
    );
    expect(await counter(page, 'total-messages')).to.equal(0);

    const run = await fetch(`${chrome().gw.url}/${chrome().gw.gateway.stage}/port/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        createVmRunMessage('r_console_1', 'org_console', { title: 'Console VM', cpu: 2, memory: 4, storage: 20, region: 'eu-west-1' }),
      ),
    });
    expect(run.status).to.equal(200);
    await page.waitForSelector('#runs tr[data-run="r_console_1"] td.status >> text=SUCCESS', { timeout: 10_000 });

    // The room cannot be read: the notification fails every receive and is dead-lettered.
    connections.setBroken(true);
    const published = await chrome().gw.publish('ops', { data: 'lost, then found' });
    const { id } = (await published.json()) as { id: string };
    const row = await page.waitForSelector('#dead-letters tr[data-id]', { timeout: 20_000 });
    expect(await row.textContent()).to.include('lost, then found');
    expect(await row.textContent()).to.include(id);
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });

    connections.setBroken(false);
    const deliveriesBeforeRedrive = await counter(page, 'total-deliveries');
    await row.$eval('button.redrive', (button) => (button as HTMLButtonElement).click());
    for (const client of [alice, bob]) await client.next((m) => m['data'] === 'lost, then found', 10_000);
    await page.waitForSelector('#dead-letters tr[data-id]', { state: 'detached', timeout: 10_000 });
    await page.waitForFunction(
      (before) => Number(document.getElementById('total-deliveries')?.textContent) >= before + 2,
      deliveriesBeforeRedrive,
    );

    await alice.close();
    await bob.close();
    await page.waitForSelector('#rooms tr[data-room="ops"]', { state: 'detached', timeout: 10_000 });
  });

  it('asks for the key again when it is refused, and keeps it out of local storage', async () => {
    const page = await chrome().browser.newPage();
    await page.goto(`${chrome().gw.url}/admin`);
    await page.fill('#admin-key', 'not-the-admin-key-at-all');
    await page.click('#key-save');
    await page.waitForSelector('body[data-state="locked"]');
    expect(await page.textContent('#error')).to.match(/refused/);
    expect(await page.evaluate(() => [sessionStorage.getItem('hermes.adminKey'), localStorage.length])).to.deep.equal([null, 0]);
  });
});
