import { parseArgs } from 'node:util';
import WebSocket from 'ws';

/**
 * The clients of one connect storm, in their own process: `--connects` WebSocket connects spread
 * evenly over `--over-ms`, cycling through the tokens read from stdin, while `/health` is polled
 * every `--health-every-ms`. Prints one JSON line: every outcome and every /health latency.
 */
const { values } = parseArgs({
  options: {
    'ws-url': { type: 'string' },
    'health-url': { type: 'string' },
    connects: { type: 'string', default: '300' },
    'over-ms': { type: 'string', default: '2000' },
    'handshake-timeout-ms': { type: 'string', default: '10000' },
    'health-every-ms': { type: 'string', default: '50' },
  },
});
const wsUrl = values['ws-url'] as string;
const healthUrl = values['health-url'] as string;
const connects = Number(values.connects);
const overMs = Number(values['over-ms']);
const handshakeTimeoutMs = Number(values['handshake-timeout-ms']);
const healthEveryMs = Number(values['health-every-ms']);

export type Outcome = {
  readonly kind: 'accepted' | 'refused' | 'timeout' | 'error';
  readonly status?: number;
  readonly at: number;
  readonly ms: number;
};

async function readTokens(): Promise<string[]> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return JSON.parse(text) as string[];
}

function attempt(token: string, sockets: WebSocket[], start: number): Promise<Outcome> {
  const began = performance.now();
  return new Promise((resolve) => {
    const socket = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, { handshakeTimeout: handshakeTimeoutMs });
    const done = (kind: Outcome['kind'], status?: number): void => {
      const now = performance.now();
      resolve({ kind, ...(status === undefined ? {} : { status }), at: now - start, ms: now - began });
    };
    socket.once('open', () => {
      sockets.push(socket);
      done('accepted');
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      socket.terminate();
      done('refused', res.statusCode);
    });
    socket.once('error', (error) => {
      if (socket.readyState === WebSocket.OPEN) return;
      done(/timed out/i.test(error.message) ? 'timeout' : 'error');
    });
  });
}

async function pollHealth(stopped: () => boolean, latencies: number[]): Promise<void> {
  while (!stopped()) {
    const began = performance.now();
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
    } catch {
      // A health check that fails counts with its full wait.
    }
    latencies.push(performance.now() - began);
    await new Promise((resolve) => setTimeout(resolve, healthEveryMs));
  }
}

const tokens = await readTokens();
const sockets: WebSocket[] = [];
const healthLatencies: number[] = [];
let finished = false;
const health = pollHealth(() => finished, healthLatencies);
const start = performance.now();
const attempts: Array<Promise<Outcome>> = [];
for (let i = 0; i < connects; i++) {
  const due = (i * overMs) / connects;
  const wait = due - (performance.now() - start);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  attempts.push(attempt(tokens[i % tokens.length] as string, sockets, start));
}
const outcomes = await Promise.all(attempts);
finished = true;
await health;
process.stdout.write(`${JSON.stringify({ event: 'done', outcomes, healthLatencies })}\n`);
for (const socket of sockets) socket.terminate();
process.exit(0);
