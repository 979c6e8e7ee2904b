import type { ManagedProcess } from '../../../support/services/managedProcess.js';
import { TestClient, TEST_ADMIN_KEY } from '../../../e2e/gateway/support/gatewayHarness.js';
import { startHermes } from '../../../e2e/gateway/support/hermesStart.js';

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

/** Starts a gateway node on a free port against `redisUrl`. */
export async function startGatewayNode(redisUrl: string, extra: Record<string, string> = {}): Promise<GatewayNode> {
  const { process: child, url } = await startHermes(
    ['--profile', 'redis'],
    { REDIS_URL: redisUrl, HERMES_AUTH_WORKERS: '0', ...extra },
    40_000,
  );
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
