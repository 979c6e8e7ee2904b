import type { ActionHandler } from '../../src/application/runs/ActionHandler.js';
import type { PartitionRunner } from '../../src/application/runs/PartitionRunner.js';
import type { RunStatusChange, RunStatusListener } from '../../src/application/runs/ports/RunStatusListener.js';
import { RUN_TOKENS } from '../../src/application/runs/tokens.js';
import type { Logger } from '../../src/application/shared/ports/Logger.js';
import { SHARED_TOKENS } from '../../src/application/shared/tokens.js';
import { buildContainer } from '../../src/entrypoints/container.js';
import { PORT_RUNNER_TOKENS } from '../../src/entrypoints/di/portRunnerModule.js';
import { createRunConsumer } from '../../src/entrypoints/runner/createRunConsumer.js';
import type { RunnerExtensions } from '../../src/entrypoints/runner/runnerExtensions.js';
import { MOCK_CONSUMER_TUNING, uniqueName } from '../../test/support/services/index.js';
import { RemoteFakePort } from './remoteFakePort.js';
import { RemoteProducer } from './remoteProducer.js';

/** One row of the head-of-line table. */
export interface HeadOfLineMeasurement {
  readonly scenario: 'plain' | 'slow handlers';
  readonly concurrency: number;
  /** create_vm runs (the slow ones not counted). */
  readonly runs: number;
  readonly runsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU time of this process (the runner; the producer and the fake Port API have their own) per run, from the first produce to the last report. */
  readonly cpuMsPerRun: number;
}

const PARTITIONS = 4;
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
/** `BENCH_LOG=1`: the runner's warnings and errors on stderr (rebalances, deferred runs). */
const runnerLogger: Logger =
  process.env['BENCH_LOG'] === '1'
    ? {
        ...silent,
        warn: (message, attributes) => console.error('WARN', message, JSON.stringify(attributes ?? {})),
        error: (message, attributes) => console.error('ERROR', message, JSON.stringify(attributes ?? {})),
      }
    : silent;

/** One 10-second handler per partition: what a slow deployment looks like to the runs behind it. */
function slowHandler(ms: number): ActionHandler {
  return { action: 'slow_job', handle: () => new Promise((resolve) => setTimeout(() => resolve({ summary: 'slow' }), ms)) };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * 1,000 create_vm runs through the mock cluster (4 partitions) to hermes's production consumer at
 * `concurrency` (HERMES_RUN_CONCURRENCY; 1 is the strictly ordered design of before), with — in the
 * "slow handlers" scenario — one 10-second run at the head of each partition. Completion latency
 * is from a run's produce to its final status reaching Port (the fake, `latencyMs` per call).
 */
export async function measureHeadOfLine(options: {
  readonly brokers: string[];
  readonly runs: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly slowMs: number;
  readonly slow: boolean;
}): Promise<HeadOfLineMeasurement> {
  const fake = await RemoteFakePort.start(options.latencyMs);
  const topic = uniqueName('org_bench.hol');
  const completedAt = new Map<string, number>();
  const others = Array.from({ length: options.runs }, (_, i) => `run_hol_${i}_${uniqueName('b')}`);
  const wanted = new Set(others);
  let allReported!: () => void;
  const reported = new Promise<void>((resolve) => (allReported = resolve));
  // Told by the runner itself, no polling: the bench takes no CPU from the process it measures while it waits.
  const listener: RunStatusListener = {
    runStatusChanged: async (change: RunStatusChange) => {
      if (change.status === 'IN_PROGRESS' || completedAt.has(change.runId)) return;
      completedAt.set(change.runId, Date.now());
      if (wanted.delete(change.runId) && wanted.size === 0) allReported();
    },
  };
  const extensions: RunnerExtensions = { handlers: [{ handler: slowHandler(options.slowMs), source: 'bench' }] };
  const container = buildContainer('memory', {
    env: {
      PORT_API_URL: fake.url,
      PORT_CLIENT_ID: fake.credentials.clientId,
      PORT_CLIENT_SECRET: fake.credentials.clientSecret,
      PORT_ORG_ID: 'org_bench',
      HERMES_RUN_CONCURRENCY: String(options.concurrency),
    },
    values: [
      [SHARED_TOKENS.Logger, runnerLogger],
      [RUN_TOKENS.RunStatusListener, listener],
      [PORT_RUNNER_TOKENS.Extensions, extensions],
    ],
  });
  // Its own process, as Port's producer is remote: producing is not the runner's CPU.
  const producer = await RemoteProducer.start(options.brokers);
  // Creates the topic before the runner subscribes.
  await producer.send(topic, []);
  const partitionRunner = container.get<PartitionRunner>(RUN_TOKENS.PartitionRunner);
  if (runnerLogger !== silent) {
    const run = partitionRunner.run.bind(partitionRunner);
    partitionRunner.run = async (records, hooks) => {
      const first = records[0];
      console.error(`batch p${first?.partition} from ${first?.offset} x${records.length}`);
      const end = await run(records, hooks);
      console.error(`batch p${first?.partition} from ${first?.offset} -> ${end.kind} (${end.results.length} results)`);
      return end;
    };
  }
  const consumer = createRunConsumer(
    { partitionRunner, logger: runnerLogger },
    { brokers: options.brokers, topic, groupId: uniqueName('org_bench.hol'), ssl: false },
    // A new topic, read from its beginning: producing right after the join cannot race the starting position.
    { consumerConfig: MOCK_CONSUMER_TUNING, fromBeginning: true },
  );
  await consumer.start();
  await consumer.waitForAssignment(30_000);
  const producedAt = new Map<string, number>();
  let cpu: NodeJS.CpuUsage | undefined;
  try {
    if (options.slow) {
      const slow = Array.from({ length: PARTITIONS }, (_, partition) => ({
        key: `run_slow_${partition}_${uniqueName('s')}`,
        partition,
      }));
      await producer.send(
        topic,
        slow.map(({ key, partition }, i) => ({ runId: key, partition, action: 'slow_job', index: i })),
      );
    }
    const cpuBefore = process.cpuUsage();
    for (let start = 0; start < others.length; start += 200) {
      const slice = others.slice(start, start + 200);
      const at = await producer.send(
        topic,
        slice.map((runId, j) => ({ runId, action: 'create_vm', index: start + j })),
      );
      for (const runId of slice) producedAt.set(runId, at);
    }
    const progress =
      runnerLogger === silent
        ? undefined
        : setInterval(() => console.error(`progress: ${completedAt.size} reported, consumer ${consumer.status().state}`), 5_000);
    let deadline: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        reported,
        new Promise<never>((_, reject) => {
          deadline = setTimeout(() => reject(new Error('head-of-line bench: runs still not reported after 300 s')), 300_000);
        }),
      ]);
      cpu = process.cpuUsage(cpuBefore);
    } finally {
      clearInterval(progress);
      clearTimeout(deadline);
    }
  } finally {
    await consumer.stop();
    await producer.stop();
    await fake.stop();
  }
  const latencies = others.map((runId) => completedAt.get(runId)! - producedAt.get(runId)!).sort((a, b) => a - b);
  const first = Math.min(...producedAt.values());
  const last = Math.max(...others.map((runId) => completedAt.get(runId)!));
  return {
    scenario: options.slow ? 'slow handlers' : 'plain',
    concurrency: options.concurrency,
    runs: options.runs,
    runsPerSecond: options.runs / ((last - first) / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMsPerRun: cpu === undefined ? NaN : (cpu.user + cpu.system) / 1000 / options.runs,
  };
}

/** The table the issue asks for, and its two targets. */
export function headOfLineReport(rows: readonly HeadOfLineMeasurement[], slowMs: number): string[] {
  const lines = [
    `${'scenario'.padEnd(16)}${'HERMES_RUN_CONCURRENCY'.padStart(24)}${'runs/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'CPU ms/run'.padStart(12)}`,
    ...rows.map(
      (row) =>
        `${row.scenario.padEnd(16)}${`${row.concurrency}${row.concurrency === 1 ? ' (ordered)' : ''}`.padStart(24)}` +
        `${row.runsPerSecond.toFixed(1).padStart(9)}${String(row.p50Ms).padStart(9)}${String(row.p99Ms).padStart(9)}` +
        `${row.cpuMsPerRun.toFixed(2).padStart(12)}`,
    ),
    '',
    `runs/s and latencies are those of the create_vm runs; "slow handlers" adds one ${slowMs / 1000}-second run at the head of each of the 4 partitions.`,
    'CPU ms/run: the runner process only (producer and fake Port API run in their own); it depends far less than runs/s on what else loads the machine.',
  ];
  const find = (scenario: HeadOfLineMeasurement['scenario'], ordered: boolean) =>
    rows.find((row) => row.scenario === scenario && (row.concurrency === 1) === ordered);
  const plain = find('plain', false);
  const slow = find('slow handlers', false);
  const plainOrdered = find('plain', true);
  if (plain && slow) {
    const ratio = slow.p99Ms / plain.p99Ms;
    lines.push(`target: slow-handler p99 <= 2x plain p99 ........ ${ratio <= 2 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
  }
  if (plain && plainOrdered) {
    const ratio = plain.runsPerSecond / plainOrdered.runsPerSecond;
    lines.push(`target: plain throughput >= 3x ordered ........... ${ratio >= 3 ? 'met' : 'NOT met'} (${ratio.toFixed(1)}x)`);
  }
  return lines;
}
