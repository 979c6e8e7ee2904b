import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_TOKENS } from '../../src/application/notifications/tokens.js';
import type { BroadcastToRoom } from '../../src/application/notifications/usecases/BroadcastToRoom.js';
import { startGateway } from '../../src/entrypoints/standalone/startGateway.js';
import type { ServerReady } from './protocol.js';
import { recordFanout, sendStats } from './stats.js';

/**
 * hermes standalone on the memory profile, its WebSocket API read from template.yaml: a trigger is a
 * backend publish (POST /{stage}/rooms/bench/messages), which the local event source feeds to the
 * `queue` Lambda handler, whose BroadcastToRoom writes to every connection of the room — in process,
 * or with BENCH_NOTIFIER=apigateway through the gateway's own @connections API, as a Lambda would.
 */
const ADMIN_KEY = 'bench-admin-key-0123456789';
const notifier = process.env['BENCH_NOTIFIER'] ?? 'inprocess';
const gateway = await startGateway({
  env: {
    ...process.env,
    HERMES_PORT: '0',
    HERMES_ADMIN_KEY: ADMIN_KEY,
    BCRYPT_COST: '4',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    HERMES_NOTIFIER: notifier,
  },
  actionRunner: false,
});
// Bench-only instrumentation: the server-side duration of each BroadcastToRoom.
const broadcast = gateway.container.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom);
const execute = broadcast.execute.bind(broadcast);
broadcast.execute = async (notification) => {
  const started = performance.now();
  const report = await execute(notification);
  recordFanout(performance.now() - started);
  return report;
};

const response = await fetch(`${gateway.url}/${gateway.stage}/tokens`, {
  method: 'POST',
  headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
  body: JSON.stringify({ user_id: 'bench', room_id: 'bench' }),
});
const { token } = (await response.json()) as { token: string };

const control = createServer((req, res) => {
  if (req.url === '/stats') return sendStats(res, gateway.websocket.size);
  res.writeHead(404);
  res.end();
});
control.listen(0, '127.0.0.1', () => {
  const ready: ServerReady = {
    event: 'listening',
    websocketUrl: `${gateway.websocketUrl}?token=${encodeURIComponent(token)}`,
    triggerUrl: `${gateway.url}/${gateway.stage}/rooms/bench/messages`,
    statsUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}/stats`,
    triggerHeaders: { authorization: `Bearer ${ADMIN_KEY}` },
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
});
process.on('SIGTERM', () => process.exit(0));
