import type { ServerResponse } from 'node:http';
import type { ServerStats } from './protocol.js';

const fanouts: number[] = [];

/** Records the server-side duration of one fan-out. */
export function recordFanout(ms: number): void {
  fanouts.push(ms);
}

/** Answers the server's memory after a full collection (the process runs with --expose-gc) and the fan-outs since the last call. */
export function sendStats(res: ServerResponse, connections: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const memory = process.memoryUsage();
  const stats: ServerStats = {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    connections,
    fanoutMs: fanouts.splice(0),
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(stats));
}
