import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile } from '../lib/quantile.js';
import type { Outcome } from './storm.js';

/**
 * `npm run bench:connect`: a connect storm against the standalone gateway at the default bcrypt
 * cost, twice: "before" (bcrypt on the event loop, no cache, no bound: HERMES_AUTH_WORKERS=0,
 * HERMES_AUTH_CACHE_SIZE=0, HERMES_MAX_CONCURRENT_AUTHORIZATIONS=0) and "after" (the defaults:
 * worker pool, verified-token cache, bounded authorizations). Server and clients run in separate
 * processes. Prints connects/s accepted, 429s, handshake timeouts and /health latency during the storm.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    connects: { type: 'string', default: '300' },
    'over-ms': { type: 'string', default: '2000' },
    tokens: { type: 'string', default: '1,10' },
    cost: { type: 'string', default: '10' },
    'handshake-timeout-ms': { type: 'string', default: '10000' },
    modes: { type: 'string', default: 'before,after' },
    json: { type: 'boolean', default: false },
  },
});
const CONNECTS = Number(values.connects);
const OVER_MS = Number(values['over-ms']);
/** Distinct tokens of a storm, one run each: 1 is the audit's storm (one token, 300 connects), 10 a mix. */
const TOKEN_COUNTS = values.tokens.split(',').map(Number);
const COST = values.cost;
const MODES = values.modes.split(',') as Array<'before' | 'after'>;

const MODE_ENV: Record<'before' | 'after', Record<string, string>> = {
  before: { HERMES_AUTH_WORKERS: '0', HERMES_AUTH_CACHE_SIZE: '0', HERMES_MAX_CONCURRENT_AUTHORIZATIONS: '0' },
  after: {},
};

interface Result {
  readonly mode: string;
  readonly tokens: number;
  readonly attempts: number;
  readonly accepted: number;
  readonly acceptedPerSecond: number;
  readonly refused429: number;
  readonly refusedOther: number;
  readonly handshakeTimeouts: number;
  readonly errors: number;
  readonly stormMs: number;
  readonly connectP50: number;
  readonly connectP99: number;
  readonly healthP50: number;
  readonly healthP99: number;
  readonly healthMax: number;
}

function spawnScript(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `bench/connect/${script}`, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
  });
}

function firstJsonLine<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('timed out waiting for a child process')), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buffer.slice(0, newline)) as T);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before answering`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

async function measure(mode: 'before' | 'after', tokenCount: number): Promise<Result> {
  const server = spawnScript('server.ts', [], { BCRYPT_COST: COST, ...MODE_ENV[mode] });
  try {
    const ready = await firstJsonLine<{ url: string; websocketUrl: string; stage: string; adminKey: string }>(server, 60_000);
    const tokens: string[] = [];
    for (let i = 0; i < tokenCount; i++) {
      const response = await fetch(`${ready.url}/${ready.stage}/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: `user-${i}`, room_id: 'storm' }),
      });
      if (response.status !== 201) throw new Error(`token: HTTP ${response.status}`);
      tokens.push(((await response.json()) as { token: string }).token);
    }
    const storm = spawnScript(
      'storm.ts',
      [
        '--ws-url',
        ready.websocketUrl,
        '--health-url',
        `${ready.url}/health`,
        '--connects',
        String(CONNECTS),
        '--over-ms',
        String(OVER_MS),
        '--handshake-timeout-ms',
        values['handshake-timeout-ms'],
      ],
      {},
    );
    storm.stdin?.end(JSON.stringify(tokens));
    const { outcomes, healthLatencies } = await firstJsonLine<{ outcomes: Outcome[]; healthLatencies: number[] }>(storm, 600_000);
    await stop(storm);
    const accepted = outcomes.filter((o) => o.kind === 'accepted');
    const stormMs = Math.max(...outcomes.map((o) => o.at));
    const lastAccepted = Math.max(0, ...accepted.map((o) => o.at));
    return {
      mode,
      tokens: tokenCount,
      attempts: outcomes.length,
      accepted: accepted.length,
      acceptedPerSecond: accepted.length === 0 ? 0 : accepted.length / (Math.max(lastAccepted, OVER_MS) / 1000),
      refused429: outcomes.filter((o) => o.kind === 'refused' && o.status === 429).length,
      refusedOther: outcomes.filter((o) => o.kind === 'refused' && o.status !== 429).length,
      handshakeTimeouts: outcomes.filter((o) => o.kind === 'timeout').length,
      errors: outcomes.filter((o) => o.kind === 'error').length,
      stormMs,
      connectP50: quantile(
        accepted.map((o) => o.ms),
        0.5,
      ),
      connectP99: quantile(
        accepted.map((o) => o.ms),
        0.99,
      ),
      healthP50: quantile(healthLatencies, 0.5),
      healthP99: quantile(healthLatencies, 0.99),
      healthMax: Math.max(...healthLatencies),
    };
  } finally {
    await stop(server);
  }
}

const round = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '-');
const results: Result[] = [];
for (const tokenCount of TOKEN_COUNTS) for (const mode of MODES) results.push(await measure(mode, tokenCount));

if (values.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  process.stdout.write(
    `connect storm: ${CONNECTS} connects over ${OVER_MS} ms, BCRYPT_COST=${COST}, handshake timeout ${values['handshake-timeout-ms']} ms\n`,
  );
  const header = [
    'mode',
    'tokens',
    'accepted',
    'accepted/s',
    '429',
    'other 4xx/5xx',
    'hs timeouts',
    'errors',
    'storm ms',
    'connect p50/p99 ms',
    'health p50/p99/max ms',
  ];
  process.stdout.write(`${header.join(' | ')}\n`);
  for (const r of results) {
    process.stdout.write(
      `${[
        r.mode,
        r.tokens,
        `${r.accepted}/${r.attempts}`,
        round(r.acceptedPerSecond),
        r.refused429,
        r.refusedOther,
        r.handshakeTimeouts,
        r.errors,
        round(r.stormMs),
        `${round(r.connectP50)}/${round(r.connectP99)}`,
        `${round(r.healthP50)}/${round(r.healthP99)}/${round(r.healthMax)}`,
      ].join(' | ')}\n`,
    );
  }
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  for (const after of results.filter((r) => r.mode === 'after')) {
    process.stdout.write(
      `targets (after, ${after.tokens} token(s)): /health max < 1 s: ${verdict(after.healthMax < 1_000)}; >= 100 connects/s accepted: ${verdict(after.acceptedPerSecond >= 100)}; no handshake timeouts: ${verdict(after.handshakeTimeouts === 0)}\n`,
    );
  }
}
