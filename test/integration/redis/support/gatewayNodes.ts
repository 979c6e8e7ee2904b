import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from '../../../support/services/managedProcess.js';
import { TestClient, testEnv, TEST_ADMIN_KEY } from '../../../e2e/gateway/support/gatewayHarness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../../../bin/hermes.js', import.meta.url));

/** One `hermes start --profile redis` process. */
export interface GatewayNode {
  readonly process: ManagedProcess;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly websocketUrl: string;
  /** Connection ids this node logged as connected, oldest first. */
  connectionIds(): string[];
  token(userId: string, roomId: string): Promise<string>;
  connect(userId: string, roomId: string): Promise<TestClient>;
  publish(roomId: string, body: Record<string, unknown>): Promise<Response>;
  connections(method: 'GET' | 'POST' | 'DELETE', connectionId: string, body?: string): Promise<Response>;
}

async function startedUrl(child: ManagedProcess, timeoutMs = 40_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /open the demo:\s+(http:\/\/[^\s/]+)\//.exec(child.outputTail());
    if (match) return match[1] as string;
    if (child.hasExited()) throw new Error(`hermes start exited early:\n${child.outputTail()}`);
    if (Date.now() > deadline) throw new Error(`hermes start did not come up:\n${child.outputTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a gateway node on a free port against `redisUrl`. */
export async function startGatewayNode(redisUrl: string, extra: Record<string, string> = {}): Promise<GatewayNode> {
  const child = spawnManaged(process.execPath, [BIN, 'start', '--profile', 'redis'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      ...testEnv(),
      REDIS_URL: redisUrl,
      HERMES_AUTH_WORKERS: '0',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...extra,
    },
  });
  let url: string;
  try {
    url = await startedUrl(child);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
  const token = async (userId: string, roomId: string): Promise<string> => {
    const response = await fetch(`${url}/local/tokens`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ user_id: userId, room_id: roomId }),
    });
    if (response.status !== 201) throw new Error(`token: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };
  const websocketUrl = `${url.replace('http', 'ws')}/local`;
  return {
    process: child,
    url,
    websocketUrl,
    connectionIds: () => [...child.outputTail().matchAll(/"message":"connected".*?"connectionId":"([^"]+)"/g)].map((m) => m[1] as string),
    token,
    connect: async (userId, roomId) => TestClient.open(`${websocketUrl}?token=${encodeURIComponent(await token(userId, roomId))}`),
    publish: (roomId, body) =>
      fetch(`${url}/local/rooms/${encodeURIComponent(roomId)}/messages`, { method: 'POST', headers: admin, body: JSON.stringify(body) }),
    connections: (method, connectionId, body) =>
      fetch(`${url}/local/@connections/${encodeURIComponent(connectionId)}`, { method, ...(body !== undefined ? { body } : {}) }),
  };
}
