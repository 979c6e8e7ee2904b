/** What the bench processes tell each other: one JSON object per line on stdout / stdin. */

/** A server process is up: where to reach it. */
export interface ServerReady {
  readonly event: 'listening';
  /** ws:// URL clients connect to (hermes: with `?token=`). */
  readonly websocketUrl: string;
  /** POST here triggers one broadcast. */
  readonly triggerUrl: string;
  /** GET here answers {rss, connections} after a full GC. */
  readonly statsUrl: string;
  readonly triggerHeaders: Readonly<Record<string, string>>;
}

export interface ServerStats {
  readonly rss: number;
  /** JS heap in use plus memory held by JS objects outside it (Buffers), after a full GC. */
  readonly heapUsed: number;
  readonly external: number;
  readonly connections: number;
  /** Server-side duration of each fan-out since the last stats call (the send loop / BroadcastToRoom). */
  readonly fanoutMs: readonly number[];
}

export type ClientCommand =
  { readonly cmd: 'connect'; readonly total: number } | { readonly cmd: 'expect'; readonly count: number } | { readonly cmd: 'exit' };

export type ClientEvent =
  | { readonly event: 'ready'; readonly connected: number; readonly failed: number; readonly ms: number }
  /** The `expect` command is in force: deliveries from now on are counted. */
  | { readonly event: 'expecting'; readonly count: number }
  | {
      readonly event: 'received';
      readonly count: number;
      /** Wall-clock ms (performance.timeOrigin + now) of the first and last delivery. */
      readonly first: number;
      readonly last: number;
      readonly p50: number;
      readonly p99: number;
      readonly max: number;
    }
  | { readonly event: 'timeout'; readonly count: number; readonly expected: number };

/** A wall clock with sub-millisecond resolution, comparable across processes on one machine. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Reads newline-delimited JSON from a stream. */
export function onJsonLines(stream: NodeJS.ReadableStream, listener: (value: Record<string, unknown>) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('{')) {
        try {
          listener(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not one of ours (a log line)
        }
      }
      newline = buffered.indexOf('\n');
    }
  });
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
