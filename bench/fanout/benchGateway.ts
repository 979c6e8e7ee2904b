import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_TOKENS } from '../../src/application/notifications/tokens.js';
import type { BroadcastToRoom } from '../../src/application/notifications/usecases/BroadcastToRoom.js';
import type { Env } from '../../src/entrypoints/config/Env.js';
import { type RunningGateway, startGateway } from '../../src/entrypoints/standalone/startGateway.js';
import type { ServerReady } from './protocol.js';
import { recordFanout, sendStats } from './stats.js';

/** Bearer key of the bench gateways' backend endpoints (token issue, publish). */
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789';

/** Bench-only instrumentation: records the server-side duration of each BroadcastToRoom. */
function timeBroadcasts(gateway: RunningGateway): void {
  const broadcast = gateway.container.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom);
  const execute = broadcast.execute.bind(broadcast);
  broadcast.execute = async (notification) => {
    const started = performance.now();
    const report = await execute(notification);
    recordFanout(performance.now() - started);
    return report;
  };
}

/** Issues the token every bench client connects with: user `bench` in room `bench`. */
async function benchToken(gateway: RunningGateway): Promise<string> {
  const response = await fetch(`${gateway.url}/${gateway.stage}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'bench', room_id: 'bench' }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Serves GET /stats on a free loopback port and prints the {@link ServerReady} line run.ts waits for. */
function announce(gateway: RunningGateway, token: string): void {
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
      triggerHeaders: { authorization: `Bearer ${BENCH_ADMIN_KEY}` },
    };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  });
}

/**
 * Starts a hermes gateway for the fan-out bench (`env` on top of `process.env`; quiet logs, cheap
 * bcrypt, no action runner), times its broadcasts, and announces it to run.ts once it is reachable.
 */
export async function serveBenchGateway(env: Env): Promise<RunningGateway> {
  const gateway = await startGateway({
    env: {
      ...process.env,
      ...env,
      HERMES_PORT: '0',
      HERMES_ADMIN_KEY: BENCH_ADMIN_KEY,
      BCRYPT_COST: '4',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    actionRunner: false,
  });
  timeBroadcasts(gateway);
  announce(gateway, await benchToken(gateway));
  return gateway;
}
