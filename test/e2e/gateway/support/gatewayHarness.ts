import WebSocket from 'ws';
import { NOTIFICATION_TOKENS } from '../../../../src/application/notifications/tokens.js';
import type { ConnectionRepository } from '../../../../src/application/notifications/ports/ConnectionRepository.js';
import { ConnectionId } from '../../../../src/domain/connection/ConnectionId.js';
import { type RunningGateway, type StartGatewayOptions, startGateway } from '../../../../src/entrypoints/standalone/startGateway.js';
import { TEST_JWT_SECRET, TEST_PASSCODE } from '../../../support/notificationCore.js';
import { rawDataText } from '../../../support/rawDataText.js';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

/**
 * Environment of a test gateway: fixed secrets, cheap bcrypt, a random port, silent logs; presence
 * events off unless `extra` turns them on (HERMES_PRESENCE_EVENTS=true), so a test about something
 * else receives only the messages it causes.
 */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    JWT_SECRET: TEST_JWT_SECRET,
    TOKEN_PASSCODE: TEST_PASSCODE,
    BCRYPT_COST: '4',
    HERMES_PORT: '0',
    HERMES_ADMIN_KEY: TEST_ADMIN_KEY,
    HERMES_PRESENCE_EVENTS: 'false',
    ...extra,
  };
}

export interface TestGateway {
  readonly gateway: RunningGateway;
  readonly url: string;
  readonly websocketUrl: string;
  /** POST /{stage}/tokens with the admin key. */
  token(userId: string, roomId: string): Promise<string>;
  /** A connected client of `roomId` as `userId`. */
  connect(userId: string, roomId: string): Promise<TestClient>;
  /** A connected client and the connection id the gateway gave it. */
  connectWithId(userId: string, roomId: string, options?: WebSocket.ClientOptions): Promise<{ client: TestClient; connectionId: string }>;
  /** POST /{stage}/rooms/{roomId}/messages with the admin key. */
  publish(roomId: string, body: Record<string, unknown>): Promise<Response>;
  /** Whether the connection repository still holds `connectionId`. */
  isRegistered(connectionId: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts an in-process gateway for a test (fast queue polling, short retry delays). */
export async function startTestGateway(options: StartGatewayOptions & { envExtra?: Record<string, string> } = {}): Promise<TestGateway> {
  const { envExtra, ...rest } = options;
  const gateway = await startGateway({
    env: testEnv(envExtra),
    eventSource: { pollWaitMs: 100, retryBaseDelayMs: 10, retryMaxDelayMs: 50 },
    shutdownGraceMs: 500,
    ...rest,
  });
  const adminHeaders = { authorization: `Bearer ${gateway.adminKey}`, 'content-type': 'application/json' };
  const token = async (userId: string, roomId: string): Promise<string> => {
    const response = await fetch(`${gateway.url}/${gateway.stage}/tokens`, {
      method: 'POST',
      headers: adminHeaders,
      body: JSON.stringify({ user_id: userId, room_id: roomId }),
    });
    if (response.status !== 201) throw new Error(`token: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };
  return {
    gateway,
    url: gateway.url,
    websocketUrl: gateway.websocketUrl,
    token,
    connect: async (userId, roomId) => TestClient.open(`${gateway.websocketUrl}?token=${encodeURIComponent(await token(userId, roomId))}`),
    connectWithId: async (userId, roomId, options = {}) => {
      const url = `${gateway.websocketUrl}?token=${encodeURIComponent(await token(userId, roomId))}`;
      const before = new Set(gateway.websocket.connectionIds());
      const client = await TestClient.open(url, options);
      const added = gateway.websocket.connectionIds().filter((id) => !before.has(id));
      if (added.length !== 1) throw new Error(`expected one new connection, found ${added.length}`);
      return { client, connectionId: added[0] as string };
    },
    publish: (roomId, body) =>
      fetch(`${gateway.url}/${gateway.stage}/rooms/${encodeURIComponent(roomId)}/messages`, {
        method: 'POST',
        headers: adminHeaders,
        body: JSON.stringify(body),
      }),
    isRegistered: async (connectionId) =>
      (await gateway.container.get<ConnectionRepository>(NOTIFICATION_TOKENS.ConnectionRepository).get(ConnectionId.of(connectionId))) !==
      undefined,
    stop: () => gateway.stop(),
  };
}

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** A `ws` client that queues what it receives, for assertions in order. */
export class TestClient {
  readonly received: string[] = [];
  readonly closed: Promise<CloseInfo>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(rawDataText(data));
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('error', () => undefined);
  }

  /** Opens a connection; rejects with the HTTP status of a refused upgrade. */
  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      const client = new TestClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        reject(new UpgradeRefused(res.statusCode ?? 0));
        res.resume();
        socket.terminate();
      });
      socket.once('error', (error) => reject(error));
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next received message (parsed) that satisfies `predicate`, waiting up to `timeoutMs`. */
  async next(predicate: (message: Record<string, unknown>) => boolean = () => true, timeoutMs = 2_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      while (seen < this.received.length) {
        const parsed = JSON.parse(this.received[seen] as string) as Record<string, unknown>;
        seen += 1;
        if (predicate(parsed)) {
          this.received.splice(seen - 1, 1);
          return parsed;
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching message within ${timeoutMs} ms; received: ${this.received.join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next received message as text (JSON or not), waiting up to `timeoutMs`. */
  async nextText(timeoutMs = 2_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.shift() as string;
  }

  /** Fails if anything arrives within `ms`. */
  async expectSilence(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.received.length > 0) throw new Error(`expected nothing, received: ${this.received.join(' | ')}`);
  }

  /** Parsed messages received so far and not taken by `next`. */
  get messages(): Array<Record<string, unknown>> {
    return this.received.map((text) => JSON.parse(text) as Record<string, unknown>);
  }

  close(): Promise<CloseInfo> {
    this.socket.close();
    return this.closed;
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** The HTTP status a refused upgrade answered with (fails if the connection opened). */
export async function refusalStatus(url: string): Promise<number> {
  try {
    const client = await TestClient.open(url);
    await client.close();
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
  throw new Error('the connection was accepted');
}

/** Polls `check` until it holds (for effects that follow a close asynchronously). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 2_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
