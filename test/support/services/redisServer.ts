import { Socket } from 'node:net';
import { freePort, LOOPBACK_HOST } from './freePort.js';
import { describeExit, spawnManaged, type ManagedProcess } from './managedProcess.js';
import { pollUntil } from './polling.js';
import { sharedService } from './sharedServices.js';

const REDIS_SERVER = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
const READY_TIMEOUT_MS = 10_000;
const MAX_START_ATTEMPTS = 3;

export interface RedisServer {
  /** `redis://127.0.0.1:PORT`: pass it as REDIS_URL. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Stops it and starts a new one on the same port, empty (no persistence): a Redis restart. */
  restart(options?: { readonly downMs?: number }): Promise<void>;
  /** Stops it without starting it again (until `start()`). */
  kill(): Promise<void>;
  /** Starts it again on the same port after `kill()`. */
  start(): Promise<void>;
}

/** The redis-server shared by the whole mocha run (started on first use). */
export function redisServer(): Promise<RedisServer> {
  return sharedService('redis-server', startRedisServer);
}

/**
 * Starts a private redis-server (Debian's package; `.ci/run` installs it) on a free 127.0.0.1 port,
 * in memory only: `--save ""` and `--appendonly no`, so nothing is written to disk.
 */
export async function startRedisServer(): Promise<RedisServer> {
  let lastFailure: Error | undefined;
  for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      let process = await spawnRedis(port);
      const server: RedisServer = {
        url: `redis://${LOOPBACK_HOST}:${port}`,
        port,
        stop: () => process.stop(2_000),
        kill: () => process.stop(2_000),
        start: async () => {
          if (!process.hasExited()) return;
          process = await spawnRedis(port);
        },
        restart: async (options = {}) => {
          await process.stop(2_000);
          if (options.downMs) await new Promise((resolve) => setTimeout(resolve, options.downMs));
          process = await spawnRedis(port);
        },
      };
      return server;
    } catch (error) {
      lastFailure = error instanceof Error ? error : new Error(String(error));
      if (!/Address already in use/i.test(lastFailure.message)) break;
    }
  }
  throw lastFailure ?? new Error('redis-server did not start');
}

async function spawnRedis(port: number): Promise<ManagedProcess> {
  const args = ['--port', String(port), '--bind', LOOPBACK_HOST, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
  const child = spawnManaged(REDIS_SERVER, args);
  try {
    await pollUntil('redis-server', () => ping(port), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 50,
      abortReason: () => (child.hasExited() ? 'the redis-server process stopped early' : undefined),
    });
    return child;
  } catch (error) {
    await child.stop(1_000);
    const exit = child.hasExited() ? ` (redis-server ${describeExit(await child.exited)})` : '';
    const hint = /ENOENT/.test(child.outputTail()) ? ' — install it: apt-get install -y redis-server' : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}${exit}${hint}\n--- redis-server output (tail) ---\n${child.outputTail()}`, { cause: error });
  }
}

/** One PING over a raw socket: the harness needs no Redis client of its own. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(1_000, () => fail(new Error('PING timed out')));
    socket.once('error', fail);
    socket.connect(port, LOOPBACK_HOST, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      if (data.toString('utf8').startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected answer to PING: ${data.toString('utf8').trim()}`));
    });
  });
}
