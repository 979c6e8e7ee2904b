import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ClientEvent, onJsonLines, type ServerReady, type ServerStats, wallClock } from './protocol.js';
import { median } from '../lib/quantile.js';
import { startBenchRedis } from './benchRedis.js';

/**
 * `npm run bench:fanout`: for each N, (a) a bare `ws` server broadcasting to N clients and
 * (b) hermes standalone delivering BroadcastToRoom to N clients of one room, the clients in a
 * separate process. Prints deliveries/s, their ratio, p50/p99 delivery latency and RSS per connection.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    'apigateway-sizes': { type: 'string', default: '1000' },
    'apigateway-burst': { type: 'string', default: '3' },
    burst: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    /** `--nodes K`: also hermes on the `redis` profile, one node and K nodes sharing one redis-server. */
    nodes: { type: 'string' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
/** `apigateway`: hermes with HERMES_NOTIFIER=apigateway, every delivery a PostToConnection to the local @connections API. */
const APIGATEWAY_SIZES = values['apigateway-sizes'].split(',').filter(Boolean).map(Number);
const BURST = Number(values.burst);
/** Every delivery of the @connections row is a signed HTTP request: a smaller burst keeps the run short. */
const APIGATEWAY_BURST = Number(values['apigateway-burst']);
const ROUNDS = Number(values.rounds);
const REPEAT = Number(values.repeat);
const NODES = values.nodes === undefined ? undefined : Number(values.nodes);
if (NODES !== undefined && (!Number.isInteger(NODES) || NODES < 1 || NODES > 8)) throw new Error('--nodes must be an integer from 1 to 8');

/**
 * `raw` ws, `hermes` (memory profile, one process), `hermes-nohistory` (the same with HERMES_HISTORY_SIZE=0:
 * notifications numbered, none kept — the cost of writing history), `apigateway` (hermes, deliveries through
 * @connections), `redis-<K>` (K gateway nodes on one Redis).
 */
type Kind = string;
const KINDS: Kind[] = ['raw', 'hermes', 'hermes-nohistory', ...(NODES === undefined ? [] : [...new Set(['redis-1', `redis-${NODES}`])])];

interface Result {
  readonly kind: Kind;
  readonly n: number;
  /** One broadcast at a time: N / (trigger → last delivery), median over the rounds. */
  readonly sequentialPerSecond: number;
  /** A burst of broadcasts: N·burst / (first trigger → last delivery). */
  readonly burstPerSecond: number;
  /** Trigger → each delivery, one broadcast at a time (median over the rounds of each round's percentile). */
  readonly p50: number;
  readonly p99: number;
  /** Server-side duration of one fan-out (median): the send loop, or BroadcastToRoom. */
  readonly fanoutMs: number;
  /** (RSS with N clients − RSS before any) / N. */
  readonly rssPerConnection: number;
  /** (heap + external with N clients − with N/2) / (N/2), after a full GC each time. */
  readonly heapPerConnection: number;
  readonly connectMs: number;
  /** Redis commands processed per broadcast (redis kinds only): INFO's total_commands_processed over the latency rounds. */
  readonly redisCommandsPerBroadcast?: number;
}

/** A child process speaking JSON lines. */
class Child {
  private readonly queue: Array<Record<string, unknown>> = [];
  private waiter: (() => void) | undefined;
  private exitError: Error | undefined;

  constructor(
    readonly process: ChildProcess,
    readonly name: string,
  ) {
    onJsonLines(process.stdout as NodeJS.ReadableStream, (value) => {
      this.queue.push(value);
      this.waiter?.();
    });
    process.once('exit', (code, signal) => {
      this.exitError = new Error(`${name} exited (${code ?? signal})`);
      this.waiter?.();
    });
  }

  async next<T>(predicate: (value: Record<string, unknown>) => boolean, timeoutMs = 300_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex(predicate);
      if (index >= 0) return this.queue.splice(index, 1)[0] as T;
      if (this.exitError) throw this.exitError;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${this.name}: timed out`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }

  send(value: unknown): void {
    this.process.stdin?.write(`${JSON.stringify(value)}\n`);
  }

  stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.process.once('exit', () => resolve());
      this.process.kill('SIGTERM');
      setTimeout(() => this.process.kill('SIGKILL'), 3_000).unref();
    });
  }
}

function hardFdLimit(): number {
  const out = execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? 1_048_576 : Number(out);
}

/** Runs a bench script in its own node, with the file descriptor limit raised for N sockets. */
function spawnScript(script: string, args: string[], n: number, nodeFlags: string[] = [], env: Record<string, string> = {}): Child {
  const limit = Math.min(hardFdLimit(), Math.max(65_536, n + 1_024));
  const command = [process.execPath, ...nodeFlags, '--import', 'tsx', `bench/fanout/${script}`, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n ${limit} 2>/dev/null || true; exec ${command}`], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  return new Child(child, script);
}

async function statsOf(url: string): Promise<ServerStats> {
  return (await (await fetch(url)).json()) as ServerStats;
}

/** The servers of one measurement: one process (raw, hermes), or K gateway nodes and their redis-server. */
interface Servers {
  /** Node 0: triggers go there. */
  readonly ready: ServerReady;
  /** Where the clients connect, spread in turn. */
  readonly websocketUrls: readonly string[];
  readonly statsUrls: readonly string[];
  /** Redis commands processed so far (redis kinds). */
  readonly redisCommands?: () => Promise<number>;
  stop(): Promise<void>;
}

/** The stats of every server process, summed (memory, connections) and joined (fan-outs). */
async function stats(servers: Servers): Promise<ServerStats> {
  const all = await Promise.all(servers.statsUrls.map(statsOf));
  return {
    rss: all.reduce((sum, s) => sum + s.rss, 0),
    heapUsed: all.reduce((sum, s) => sum + s.heapUsed, 0),
    external: all.reduce((sum, s) => sum + s.external, 0),
    connections: all.reduce((sum, s) => sum + s.connections, 0),
    fanoutMs: all.flatMap((s) => s.fanoutMs),
  };
}

async function startServers(kind: Kind, n: number, nodeFlags: string[]): Promise<Servers> {
  if (!kind.startsWith('redis-')) {
    const server =
      kind === 'apigateway'
        ? spawnScript('hermesServer.ts', [], n, nodeFlags, { BENCH_NOTIFIER: 'apigateway' })
        : kind === 'hermes-nohistory'
          ? spawnScript('hermesServer.ts', [], n, nodeFlags, { HERMES_HISTORY_SIZE: '0' })
          : spawnScript(`${kind}Server.ts`, [], n, nodeFlags);
    const ready = await server.next<ServerReady>((e) => e['event'] === 'listening', 60_000);
    return { ready, websocketUrls: [ready.websocketUrl], statsUrls: [ready.statsUrl], stop: () => server.stop() };
  }
  const count = Number(kind.slice('redis-'.length));
  const redis = await startBenchRedis();
  const nodes: Child[] = [];
  try {
    const readies: ServerReady[] = [];
    for (let i = 0; i < count; i += 1) {
      const node = spawnScript('redisNodeServer.ts', ['--redis', redis.url, '--node', String(i)], n, nodeFlags);
      nodes.push(node);
      readies.push(await node.next<ServerReady>((e) => e['event'] === 'listening', 60_000));
    }
    const first = readies[0] as ServerReady;
    // One token (node 0's) for every node: grants live in Redis.
    const token = new URL(first.websocketUrl).searchParams.get('token') ?? '';
    return {
      ready: first,
      websocketUrls: readies.map((r) => `${r.websocketUrl.split('?')[0]}?token=${encodeURIComponent(token)}`),
      statsUrls: readies.map((r) => r.statsUrl),
      redisCommands: () => redis.commands(),
      stop: async () => {
        await Promise.all(nodes.map((node) => node.stop()));
        await redis.stop();
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    await redis.stop();
    throw error;
  }
}

async function trigger(ready: ServerReady, seq: number): Promise<void> {
  const response = await fetch(ready.triggerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ready.triggerHeaders },
    body: JSON.stringify({ type: 'bench', data: { seq, t: wallClock() } }),
  });
  if (response.status >= 300) throw new Error(`trigger: HTTP ${response.status} ${await response.text()}`);
}

async function measure(kind: Kind, n: number): Promise<Result> {
  const profile = process.env['BENCH_CPU_PROFILE_DIR'];
  const servers = await startServers(kind, n, [
    '--expose-gc',
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}/${kind}-${n}`] : []),
  ]);
  const { ready } = servers;
  let clients: Child | undefined;
  try {
    const atZero = await stats(servers);
    clients = spawnScript('clients.ts', ['--url', servers.websocketUrls.join(','), '--n', String(n)], n);
    type Ready = Extract<ClientEvent, { event: 'ready' }>;
    const half = await clients.next<Ready>((e) => e['event'] === 'ready');
    const atHalf = await stats(servers);
    clients.send({ cmd: 'connect', total: n });
    const all = await clients.next<Ready>((e) => e['event'] === 'ready');
    if (all.connected !== n) throw new Error(`${kind}: only ${all.connected} of ${n} clients connected (${all.failed} failed)`);
    const atFull = await stats(servers);
    if (atFull.connections !== n) throw new Error(`${kind}: the server holds ${atFull.connections} connections, not ${n}`);

    type Received = Extract<ClientEvent, { event: 'received' }>;
    const expect = async (count: number): Promise<void> => {
      clients?.send({ cmd: 'expect', count });
      await (clients as Child).next((e) => e['event'] === 'expecting');
    };
    const round = async (seq: number): Promise<{ received: Received; started: number }> => {
      await expect(n);
      const started = wallClock();
      await trigger(ready, seq);
      const received = await (clients as Child).next<ClientEvent>((e) => e['event'] === 'received' || e['event'] === 'timeout');
      if (received.event !== 'received') throw new Error(`${kind}: round ${seq} timed out (${JSON.stringify(received)})`);
      return { received, started };
    };
    for (let i = 0; i < 3; i += 1) await round(-1 - i);
    await stats(servers);

    const commandsBefore = await servers.redisCommands?.();
    const rounds = [];
    for (let i = 0; i < ROUNDS; i += 1) rounds.push(await round(i));
    const commandsAfter = await servers.redisCommands?.();
    const fanouts = (await stats(servers)).fanoutMs;

    const burstSize = kind === 'apigateway' ? APIGATEWAY_BURST : BURST;
    await expect(n * burstSize);
    const started = wallClock();
    for (let i = 0; i < burstSize; i += 1) await trigger(ready, 1_000 + i);
    const burst = await clients.next<ClientEvent>((e) => e['event'] === 'received' || e['event'] === 'timeout');
    if (burst.event !== 'received') throw new Error(`${kind}: the burst timed out (${JSON.stringify(burst)})`);

    return {
      kind,
      n,
      sequentialPerSecond: median(rounds.map((r) => n / ((r.received.last - r.started) / 1000))),
      burstPerSecond: (n * burstSize) / ((burst.last - started) / 1000),
      p50: median(rounds.map((r) => r.received.p50)),
      p99: median(rounds.map((r) => r.received.p99)),
      fanoutMs: median(fanouts),
      rssPerConnection: (atFull.rss - atZero.rss) / n,
      heapPerConnection: (atFull.heapUsed + atFull.external - atHalf.heapUsed - atHalf.external) / (n - half.connected),
      connectMs: half.ms + all.ms,
      ...(commandsBefore !== undefined && commandsAfter !== undefined
        ? // The INFO call itself counts one.
          { redisCommandsPerBroadcast: (commandsAfter - commandsBefore - 1) / ROUNDS }
        : {}),
    };
  } finally {
    clients?.send({ cmd: 'exit' });
    await clients?.stop();
    await servers.stop();
  }
}

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Cross-node p99 against one node's (target ≤ 1.5 at N = 10,000). */
function crossNodeLine(redisRows: readonly Result[]): string[] {
  const single = redisRows.find((r) => r.kind === 'redis-1');
  const multi = redisRows.find((r) => r.kind !== 'redis-1');
  if (!single || !multi) return [];
  return [
    `${''.padEnd(7)} ${`${multi.kind} / redis-1`}: p99 ${fmt(multi.p99 / single.p99, 2)}× (target ≤ 1.5), deliveries/s seq ${fmt(multi.sequentialPerSecond / single.sequentialPerSecond, 2)}×`,
  ];
}

const runs: Result[] = [];
process.stderr.write(
  `fan-out bench: node ${process.version}, ${cpus().length} CPUs, sizes ${SIZES.join(', ')}, burst ${BURST}, ${ROUNDS} latency rounds, ${REPEAT} repeat(s)\n`,
);
for (const n of SIZES) {
  // raw and hermes alternate, so that a change of machine load hits both alike.
  for (let r = 0; r < REPEAT; r += 1) {
    for (const kind of KINDS) {
      process.stderr.write(`  ${kind} N=${n} (${r + 1}/${REPEAT}) ...\n`);
      runs.push(await measure(kind, n));
    }
  }
}

for (const n of APIGATEWAY_SIZES) {
  for (let r = 0; r < REPEAT; r += 1) {
    process.stderr.write(`  hermes via @connections N=${n} (${r + 1}/${REPEAT}) ...\n`);
    runs.push(await measure('apigateway', n));
  }
}

/** Per kind and N, the median of every figure over the repeats. */
const results: Result[] = [
  ...SIZES.flatMap((n) => KINDS.map((kind) => [kind, n] as const)),
  ...APIGATEWAY_SIZES.map((n) => ['apigateway', n] as const),
].map(([kind, n]) => {
  const mine = runs.filter((r) => r.kind === kind && r.n === n);
  const pick = (f: (r: Result) => number): number => median(mine.map(f));
  return {
    kind,
    n,
    sequentialPerSecond: pick((r) => r.sequentialPerSecond),
    burstPerSecond: pick((r) => r.burstPerSecond),
    p50: pick((r) => r.p50),
    p99: pick((r) => r.p99),
    fanoutMs: pick((r) => r.fanoutMs),
    rssPerConnection: pick((r) => r.rssPerConnection),
    heapPerConnection: pick((r) => r.heapPerConnection),
    connectMs: pick((r) => r.connectMs),
    ...(mine.some((r) => r.redisCommandsPerBroadcast !== undefined)
      ? { redisCommandsPerBroadcast: pick((r) => r.redisCommandsPerBroadcast ?? Number.NaN) }
      : {}),
  };
});

if (values.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const header = `${'N'.padEnd(7)} ${'server'.padEnd(7)} ${'deliv/s seq'.padStart(12)} ${'deliv/s burst'.padStart(14)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'fan-out ms'.padStart(11)} ${'RSS/conn'.padStart(10)} ${'heap/conn'.padStart(10)}`;
  const lines = [
    '',
    header,
    ...SIZES.flatMap((n) => {
      const raw = results.find((r) => r.kind === 'raw' && r.n === n) as Result;
      const hermes = results.find((r) => r.kind === 'hermes' && r.n === n) as Result;
      const noHistory = results.find((r) => r.kind === 'hermes-nohistory' && r.n === n) as Result;
      const redisRows = results.filter((r) => r.kind.startsWith('redis-') && r.n === n);
      const row = (r: Result, label: string): string =>
        `${fmt(n).padEnd(7)} ${label.padEnd(7)} ${fmt(r.sequentialPerSecond).padStart(12)} ${fmt(r.burstPerSecond).padStart(14)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)} ${fmt(r.fanoutMs, 1).padStart(11)} ${`${fmt(r.rssPerConnection / 1024, 1)} KB`.padStart(10)} ${`${fmt(r.heapPerConnection / 1024, 1)} KB`.padStart(10)}`;
      const ratio = (a: number, b: number): string => fmt(a / b, 2);
      return [
        row(raw, 'raw ws'),
        row(hermes, 'hermes'),
        `${''.padEnd(7)} ${'ratio'.padEnd(7)} ${ratio(hermes.sequentialPerSecond, raw.sequentialPerSecond).padStart(12)} ${ratio(hermes.burstPerSecond, raw.burstPerSecond).padStart(14)} ${ratio(hermes.p50, raw.p50).padStart(7)} ${ratio(hermes.p99, raw.p99).padStart(7)} ${ratio(hermes.fanoutMs, raw.fanoutMs).padStart(11)} ${`${ratio(hermes.rssPerConnection, raw.rssPerConnection)}×`.padStart(10)} ${`${ratio(hermes.heapPerConnection, raw.heapPerConnection)}×`.padStart(10)}`,
        row(noHistory, 'no hist'),
        `${''.padEnd(7)} ${'hist on'.padEnd(7)} ${ratio(hermes.sequentialPerSecond, noHistory.sequentialPerSecond).padStart(12)} ${ratio(hermes.burstPerSecond, noHistory.burstPerSecond).padStart(14)} ${ratio(hermes.p50, noHistory.p50).padStart(7)} ${ratio(hermes.p99, noHistory.p99).padStart(7)} ${ratio(hermes.fanoutMs, noHistory.fanoutMs).padStart(11)} ${`${ratio(hermes.rssPerConnection, noHistory.rssPerConnection)}×`.padStart(10)} ${`${ratio(hermes.heapPerConnection, noHistory.heapPerConnection)}×`.padStart(10)}`,
        ...redisRows.map((r) => `${row(r, r.kind)}   ${fmt(r.redisCommandsPerBroadcast ?? Number.NaN, 1)} Redis commands/broadcast`),
        ...crossNodeLine(redisRows),
      ];
    }),
    ...APIGATEWAY_SIZES.map((n) => {
      const r = results.find((candidate) => candidate.kind === 'apigateway' && candidate.n === n) as Result;
      return `${fmt(n).padEnd(7)} ${'@conn'.padEnd(7)} ${fmt(r.sequentialPerSecond).padStart(12)} ${fmt(r.burstPerSecond).padStart(14)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)} ${fmt(r.fanoutMs, 1).padStart(11)}`;
    }),
    '',
    `@conn: BroadcastToRoom through the apigateway notifier (one PostToConnection per recipient, AWS SDK) against the local @connections API: the shape of a real Lambda broadcast (burst ${APIGATEWAY_BURST}).`,
    'deliv/s seq: one broadcast at a time, N / (trigger → last delivery); burst: the broadcasts of a burst, first trigger → last delivery.',
    'ratio of deliveries/s = hermes / raw (target ≥ 0.8 at N = 10,000). p50/p99: trigger (an HTTP POST) → each client.',
    'fan-out ms: server side, one broadcast (raw: the send loop; hermes: BroadcastToRoom).',
    'hist on = hermes (history kept, HERMES_HISTORY_SIZE=100) / no hist (HERMES_HISTORY_SIZE=0: numbered, nothing kept); target ≥ 0.9 at N = 10,000.',
    'RSS/conn: (RSS at N − RSS before any client) / N (target ≤ 1.5× raw); heap/conn: JS heap + external slope from N/2 to N, after a full GC.',
    `Every figure is the median of ${REPEAT} run(s); raw, hermes and no-history runs alternate.`,
    'Clients run in one separate process; on a small machine they share the CPUs with the server, which caps both servers alike.',
    ...(NODES === undefined
      ? []
      : [
          `redis-K: K gateway nodes (hermes start --profile redis, one process each) on one redis-server, the N clients spread over them in turn;`,
          'a trigger is a publish on node 0 through the Redis stream; RSS and heap are summed over the nodes. On a 2-core machine the nodes, the clients and Redis share the cores.',
        ]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
