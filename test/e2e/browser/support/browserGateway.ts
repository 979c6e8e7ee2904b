import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { StartGatewayOptions } from '../../../../src/entrypoints/standalone/startGateway.js';
import { startTestGateway, type TestGateway } from '../../gateway/support/gatewayHarness.js';

const CHROMIUM = '/usr/bin/chromium';
/** Headless, and nothing the browser would do on its own (updates, sync, background requests, QUIC). */
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

/** A test gateway and a Chromium of its own (a fresh profile), with the steps the demo page tests share. */
export interface BrowserGateway {
  readonly gw: TestGateway;
  readonly browser: BrowserContext;
  /** A new tab on the demo page of `url` (this gateway's by default), not connected. */
  demoPage(url?: string): Promise<Page>;
  /** A new tab on the demo page, connected as `user` to `room`. */
  connectedPage(user: string, room: string): Promise<Page>;
  /** Deletes `user`'s connection through @connections and waits until `page` says it is reconnecting. */
  dropConnection(page: Page, user: string): Promise<void>;
}

/**
 * Gives the enclosing mocha suite a {@link BrowserGateway}: the gateway (started with `options`) and
 * Chromium launched before its tests, both closed after them. Returns the accessor its tests use.
 */
export function withBrowserGateway(options: StartGatewayOptions & { envExtra?: Record<string, string> } = {}): () => BrowserGateway {
  let suite: BrowserGateway | undefined;
  let profileDir: string | undefined;
  before(async function () {
    const gw = await startTestGateway(options);
    profileDir = await mkdtemp(join(tmpdir(), 'hermes-chromium-'));
    const browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    suite = browserGateway(gw, browser);
  });
  after(async function () {
    await suite?.browser.close();
    await suite?.gw.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });
  return () => {
    if (!suite) throw new Error('withBrowserGateway: the browser of this suite is used outside its tests');
    return suite;
  };
}

function browserGateway(gw: TestGateway, browser: BrowserContext): BrowserGateway {
  const demoPage = async (url = gw.url): Promise<Page> => {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    return page;
  };
  /** The id of `user`'s connection (the first, when it has several). */
  const connectionOf = (user: string): string => {
    const { websocket } = gw.gateway;
    const [id] = websocket.connectionIds().filter((candidate) => websocket.get(candidate)?.authorizer['user_id'] === user);
    if (id === undefined) throw new Error(`no connection of ${user}`);
    return id;
  };
  return {
    gw,
    browser,
    demoPage,
    connectedPage: async (user, room) => {
      const page = await demoPage();
      await page.fill('#user', user);
      await page.fill('#room', room);
      await page.click('#connect');
      await page.waitForSelector('#state[data-state="open"]', { timeout: 10_000 });
      return page;
    },
    dropConnection: async (page, user) => {
      const response = await fetch(`${gw.url}/local/@connections/${encodeURIComponent(connectionOf(user))}`, { method: 'DELETE' });
      expect(response.status).to.equal(204);
      await page.waitForSelector('#state[data-state="reconnecting"]', { timeout: 5_000 });
    },
  };
}
