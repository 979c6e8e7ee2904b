import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { NOTIFICATION_TOKENS } from '../../src/application/notifications/tokens.js';
import type { BroadcastToRoom } from '../../src/application/notifications/usecases/BroadcastToRoom.js';
import { startGateway } from '../../src/entrypoints/standalone/startGateway.js';
import type { ServerReady } from './protocol.js';
import { recordFanout, sendStats } from './stats.js';

/**
 * One hermes gateway node on the `redis` profile (`--redis URL`), for `bench:fanout --nodes K`:
 * K of these share one redis-server; a trigger is a publish on node 0 through the Redis stream,
 * and the node that receives it delivers to its own sockets and, through Redis, to the others'.
 */
const { values } = parseArgs({ options: { redis: { type: 'string' }, node: { type: 'string', default: '0' } } });
const ADMIN_KEY = 'bench-admin-key-0123456789';
const gateway = await startGateway({
  env: {
    ...process.env,
    HERMES_PROFILE: 'redis',
    REDIS_URL: values.redis as string,
    HERMES_NODE_ID: `bench-node-${values.node}`,
    HERMES_PORT: '0',
    HERMES_ADMIN_KEY: ADMIN_KEY,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789abcdef',
    TOKEN_PASSCODE: 'bench-passcode-0123456789',
    BCRYPT_COST: '4',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  },
  actionRunner: false,
});
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
process.on('SIGTERM', () => void gateway.stop().finally(() => process.exit(0)));
