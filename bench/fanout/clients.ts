import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { type ClientCommand, type ClientEvent, onJsonLines, percentile, wallClock } from './protocol.js';

/**
 * N WebSocket clients in one process. Each delivery's latency is the time since the trigger's
 * `t` (embedded in the payload); the process reports when it has received what it was told to expect.
 */
const { values } = parseArgs({
  options: { url: { type: 'string' }, n: { type: 'string' }, concurrency: { type: 'string', default: '200' } },
});
/** Comma-separated: clients are spread over these URLs in turn (several gateway nodes). */
const urls = (values.url as string).split(',');
const total = Number(values.n);
const concurrency = Number(values.concurrency);

const emit = (event: ClientEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

const sockets: WebSocket[] = [];
let expected = 0;
let count = 0;
let first = 0;
let last = 0;
let latencies = new Float64Array(0);
let timer: NodeJS.Timeout | undefined;
const marker = Buffer.from('"t":');

function onMessage(data: Buffer): void {
  const now = wallClock();
  if (expected === 0) return;
  const at = data.indexOf(marker);
  if (at < 0) return;
  const sentAt = Number.parseFloat(data.toString('latin1', at + marker.length, at + marker.length + 24));
  if (count === 0) first = now;
  last = now;
  latencies[count] = now - sentAt;
  count += 1;
  if (count === expected) report();
}

function report(): void {
  clearTimeout(timer);
  const sorted = latencies.slice(0, count).sort();
  emit({
    event: 'received',
    count,
    first,
    last,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[count - 1] ?? Number.NaN,
  });
  expected = 0;
}

let next = 0;
let failed = 0;

/** Connects clients until `target` are open (or failed), `concurrency` at a time. */
async function connectUpTo(target: number): Promise<void> {
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (next < target) {
      const url = urls[next % urls.length] as string;
      next += 1;
      await new Promise<void>((resolve) => {
        const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
        socket.binaryType = 'nodebuffer';
        socket.once('open', () => {
          sockets.push(socket);
          resolve();
        });
        socket.once('error', () => {
          failed += 1;
          resolve();
        });
        socket.on('message', (data) => onMessage(data as Buffer));
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  emit({ event: 'ready', connected: sockets.length, failed, ms: Date.now() - started });
}

onJsonLines(process.stdin, (raw) => {
  const command = raw as unknown as ClientCommand;
  if (command.cmd === 'connect') {
    void connectUpTo(command.total);
  } else if (command.cmd === 'expect') {
    expected = command.count;
    count = 0;
    latencies = new Float64Array(command.count);
    timer = setTimeout(() => {
      emit({ event: 'timeout', count, expected });
      expected = 0;
    }, 120_000);
    emit({ event: 'expecting', count: command.count });
  } else if (command.cmd === 'exit') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});

// Half first: the server's RSS is read at N/2 and at N, so fixed costs cancel out.
await connectUpTo(Math.floor(total / 2));
