import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ServerReady } from './protocol.js';
import { recordFanout, sendStats } from './stats.js';

/**
 * The baseline: a bare `ws` server broadcasting every triggered message to all its clients, the
 * way ws's README does. The message has the shape and size of a hermes notification.
 */
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') return sendStats(res, wss.clients.size);
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { data } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: unknown };
      const payload = JSON.stringify({
        id: crypto.randomUUID(),
        type: 'bench',
        room_id: 'bench',
        user_id: null,
        sent_at: new Date().toISOString(),
        data,
      });
      res.writeHead(202, { 'content-length': '0' });
      res.end();
      const started = performance.now();
      for (const client of wss.clients) client.send(payload);
      recordFanout(performance.now() - started);
    });
    return;
  }
  res.writeHead(404);
  res.end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const ready: ServerReady = {
    event: 'listening',
    websocketUrl: `ws://127.0.0.1:${port}/`,
    triggerUrl: `http://127.0.0.1:${port}/broadcast`,
    statsUrl: `http://127.0.0.1:${port}/stats`,
    triggerHeaders: {},
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
});
process.on('SIGTERM', () => process.exit(0));
