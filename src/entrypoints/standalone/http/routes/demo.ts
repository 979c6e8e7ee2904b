import { readFile } from 'node:fs/promises';
import { bundleBrowserModule } from '../../public/bundle.js';
import type { RouteRegistration } from '../GatewayContext.js';
import { sendText } from '../httpIo.js';
import { demoTokenHandler } from './demoTokens.js';

const PAGE = new URL('../../public/index.html', import.meta.url);
const MODULES: Readonly<Record<string, URL>> = {
  '/demo.js': new URL('../../public/demo.ts', import.meta.url),
  '/hermes-client.js': new URL('../../../client/HermesClient.ts', import.meta.url),
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The browser demo: `GET /` (the page, which carries the stage and the gateway's frame and message
 * limits, so the client refuses what the gateway would close the socket for), `/demo.js` and
 * `/hermes-client.js` (bundled on first use), and, in the `memory` profile only,
 * `POST /{stage}/demo/tokens`, which issues tokens without the admin key.
 */
export const demoRoutes: RouteRegistration = (router, context) => {
  router.add('GET', '/', async ({ res }) => {
    const template = await readFile(PAGE, 'utf8');
    const html = template
      .replaceAll('{{STAGE}}', escapeHtml(context.config.stage))
      .replaceAll('{{RUNS_ROOM}}', escapeHtml(context.runsRoom ?? 'port-runs'))
      .replaceAll('{{DEMO_TOKENS}}', context.config.demoTokens ? 'true' : 'false')
      .replaceAll('{{MAX_FRAME_BYTES}}', String(context.config.limits.maxFrameBytes))
      .replaceAll('{{MAX_MESSAGE_BYTES}}', String(context.config.limits.maxMessageBytes));
    sendText(res, 200, 'text/html; charset=utf-8', html);
  });
  for (const [path, entry] of Object.entries(MODULES)) {
    router.add('GET', path, async ({ res }) => sendText(res, 200, 'text/javascript; charset=utf-8', await bundleBrowserModule(entry)));
  }
  router.add('GET', '/favicon.ico', ({ res }) => {
    res.writeHead(204);
    res.end();
  });
  if (context.config.demoTokens) router.add('POST', context.stagePath('/demo/tokens'), demoTokenHandler(context));
};
