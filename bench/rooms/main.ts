/**
 * `npm run bench:rooms`: how long loading a 100-member room's connections takes on DynamoDB Local
 * when the table holds 1,000 and then 100,000 connections, through the `room_id-index` GSI Query
 * (what DynamoConnectionRepository does) and through a Scan with a filter (what the seed did).
 * Target: GSI time at 100k ≤ 1.2 × GSI time at 1k. A benchmark, not a test: it prints figures.
 */
import { performance } from 'node:perf_hooks';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, createDynamoDocumentClient } from '../../src/adapters/aws/clients.js';
import { DynamoConnectionRepository } from '../../src/adapters/aws/DynamoConnectionRepository.js';
import { SystemClock } from '../../src/adapters/system/SystemClock.js';
import { RoomId } from '../../src/domain/connection/RoomId.js';
import { provisionTables } from '../../src/entrypoints/provision/provisionTables.js';
import { tableDefinitions } from '../../src/entrypoints/provision/tableDefinitions.js';
import { startDynamoDbLocal } from '../../test/support/services/dynamoDbLocal.js';
import { loadConnections } from './loadConnections.js';
import { quantile } from '../lib/quantile.js';

const ROOM = 'bench-room';
const ROOM_SIZE = 100;
const TABLE_SIZES = [1_000, 100_000] as const;
const FILLER_ROOM_SIZE = 100;
const WARMUP_RUNS = 50;
const GSI_RUNS = 200;
const SCAN_RUNS = 5;

interface Timing {
  readonly median: number;
  readonly p90: number;
  readonly runs: number;
}

function summarize(samples: number[]): Timing {
  return { median: quantile(samples, 0.5), p90: quantile(samples, 0.9), runs: samples.length };
}

/**
 * Times each task `runs` times, alternating between them round by round, so that JVM warm-up,
 * garbage collection or a busy machine weigh on every table size alike.
 */
async function timeInterleaved(tasks: ReadonlyArray<() => Promise<number>>, runs: number, warmup: number): Promise<Timing[]> {
  const samples: number[][] = tasks.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (const [index, task] of tasks.entries()) {
      const started = performance.now();
      const found = await task();
      const elapsed = performance.now() - started;
      if (found !== ROOM_SIZE) throw new Error(`expected ${ROOM_SIZE} connections, found ${found}`);
      if (round >= warmup) samples[index]?.push(elapsed);
    }
  }
  return samples.map(summarize);
}

/** Every page of the room, as BroadcastToRoom reads it (page size 500). */
async function viaGsi(repository: DynamoConnectionRepository): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await repository.findByRoom(RoomId.of(ROOM), { limit: 500, ...(cursor ? { cursor } : {}) });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

/** The seed's way: a Scan of the whole table with a room filter, every page. */
async function viaScan(documents: DynamoDBDocumentClient, table: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: 'connection_id, user_id',
        FilterExpression: '#room = :room',
        ExpressionAttributeNames: { '#room': 'room_id' },
        ExpressionAttributeValues: { ':room': ROOM },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    count += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log('starting DynamoDB Local (in memory)…');
  const ddb = await startDynamoDbLocal();
  const dynamodb = createDynamoClient(ddb);
  const documents = createDynamoDocumentClient(ddb);
  try {
    const tables = TABLE_SIZES.map((size) => `bench-connections-${size}`);
    const definitions = tables.map((table) => {
      const [connections] = tableDefinitions({ connections: table, grants: 'unused-grants', runLedger: 'unused-ledger' });
      if (!connections) throw new Error('no connections table definition');
      return connections;
    });
    await provisionTables(dynamodb, definitions, { dryRun: false });

    for (const [index, size] of TABLE_SIZES.entries()) {
      const table = tables[index] ?? '';
      const started = performance.now();
      await loadConnections(documents, table, { room: ROOM, count: ROOM_SIZE, firstIndex: 0, defer: true });
      for (let loaded = ROOM_SIZE; loaded < size; loaded += FILLER_ROOM_SIZE) {
        const count = Math.min(FILLER_ROOM_SIZE, size - loaded);
        await loadConnections(documents, table, { room: `filler-${loaded / FILLER_ROOM_SIZE}`, count, firstIndex: loaded, defer: true });
      }
      await loadConnections.flush(documents, table);
      log(
        `${table}: ${size.toLocaleString('en')} connections, the room's ${ROOM_SIZE} included (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
    }

    log(`timing: GSI Query ${GSI_RUNS} rounds (+${WARMUP_RUNS} warm-up), Scan ${SCAN_RUNS} rounds (+1), tables alternating each round`);
    const repositories = tables.map((table) => new DynamoConnectionRepository(documents, table, new SystemClock()));
    const gsi = await timeInterleaved(
      repositories.map((repository) => () => viaGsi(repository)),
      GSI_RUNS,
      WARMUP_RUNS,
    );
    const scan = await timeInterleaved(
      tables.map((table) => () => viaScan(documents, table)),
      SCAN_RUNS,
      1,
    );
    const results = TABLE_SIZES.map((size, index) => ({ size, gsi: gsi[index], scan: scan[index] })).filter(
      (r): r is { size: (typeof TABLE_SIZES)[number]; gsi: Timing; scan: Timing } => r.gsi !== undefined && r.scan !== undefined,
    );
    for (const r of results) {
      log(
        `${r.size.toLocaleString('en').padStart(7)} connections: GSI Query median ${ms(r.gsi.median)} (p90 ${ms(r.gsi.p90)}), Scan+filter median ${ms(r.scan.median)} (p90 ${ms(r.scan.p90)})`,
      );
    }

    const [small, large] = results;
    if (!small || !large) return;
    const gsiRatio = large.gsi.median / small.gsi.median;
    log('');
    log(`| table size | GSI Query (median) | Scan + filter (median) | Scan / GSI |`);
    log(`|---:|---:|---:|---:|`);
    for (const r of results) {
      log(
        `| ${r.size.toLocaleString('en')} | ${ms(r.gsi.median)} | ${ms(r.scan.median)} | ${(r.scan.median / r.gsi.median).toFixed(1)}× |`,
      );
    }
    log('');
    log(`GSI 100k / GSI 1k   = ${gsiRatio.toFixed(2)}× (target ≤ 1.20×: ${gsiRatio <= 1.2 ? 'met' : 'NOT met'})`);
    log(`Scan 100k / Scan 1k = ${(large.scan.median / small.scan.median).toFixed(1)}×`);
  } finally {
    documents.destroy();
    dynamodb.destroy();
    await ddb.stop();
  }
}

await main();
