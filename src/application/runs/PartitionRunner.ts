import { errorMessage, isRetryable, retryAfterMsOf } from '../../domain/shared/HermesError.js';
import { backoffDelayMs, type BackoffPolicy } from '../shared/backoff.js';
import type { Logger } from '../shared/ports/Logger.js';
import { PartitionPipeline, type PipelineEnd, type RecordAttempt } from './PartitionPipeline.js';
import type { RunStarter } from './RunProcessor.js';
import type { RunResult } from './RunResult.js';

/**
 * Records of a partition queued to start, per handler slot, before `offer` holds the Kafka client
 * back: enough for the slots to stay busy while the client fetches the next batch.
 */
const QUEUED_PER_HANDLER = 4;

/** One message of the runs topic as both Kafka paths deliver it. */
export interface RunRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka message key, when there is one: records sharing it run one at a time, in offset order. */
  readonly key?: Uint8Array | string | null;
  /** The message as received: bytes (kafkajs, Lambda's base64 decoded) or text. */
  readonly value: Uint8Array | string | null;
}

/** What the caller's Kafka client lends the runner for one batch of a partition. */
export interface PartitionHooks {
  /** Commits the partition through `offset` (that record and every earlier one completed). In order, one at a time. */
  readonly commitThrough?: (offset: string) => Promise<void>;
  /** False once no new record may start (consumer stopping, partition revoked). Default: always true. */
  readonly mayStart?: () => boolean;
  /** Keeps the group membership alive while records are in flight. */
  readonly heartbeat?: () => Promise<void>;
}

/** How a batch of one partition ended. `results` holds what each completed record gave, in offset order. */
export type PartitionEnd =
  | { readonly kind: 'drained'; readonly results: readonly RunResult[] }
  | { readonly kind: 'interrupted'; readonly results: readonly RunResult[] }
  /** `record` must be retried after `delayMs` (backoff, or the run's own retry-after); nothing from it on is committed. */
  | { readonly kind: 'retry'; readonly record: RunRecord; readonly delayMs: number; readonly results: readonly RunResult[] };

/** A partition's records offered batch after batch (`PartitionRunner.open`). */
export interface PartitionSession {
  /** Queues the records; resolves true once they fit the in-flight window, false when the session stopped scheduling (they will not run). */
  offer(records: readonly RunRecord[]): Promise<boolean>;
  /** True while offered records are still scheduled. */
  readonly accepting: boolean;
  /** Tells the session that `mayStart` may have turned false. */
  changed(): void;
  /** No more records: resolves once every offered record settled (and what completed is committed). */
  close(): Promise<PartitionEnd>;
  /** How the session ended (`results` is empty: a session keeps none); rejects on a commit or heartbeat failure. */
  readonly ended: Promise<PartitionEnd>;
}

export interface PartitionRunnerSettings {
  /** Handlers of one partition running at once (`HERMES_RUN_CONCURRENCY`); 1 is the strictly ordered design. Default 16. */
  readonly concurrency: number;
  /** Runs of one partition whose report may be in flight while the next handler runs; 0 is strictly sequential. Default 8. */
  readonly maxReportsInFlight: number;
  /** Attempts of a record failing unexpectedly (a bug, not a deferred run) before it is skipped. Default 5. */
  readonly maxUnexpectedFailures: number;
  /** Backoff of retried records. Default 1 s doubling to 60 s. */
  readonly retry: BackoffPolicy;
}

export const DEFAULT_PARTITION_RUNNER_SETTINGS: PartitionRunnerSettings = {
  concurrency: 16,
  maxReportsInFlight: 8,
  maxUnexpectedFailures: 5,
  retry: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
};

/**
 * The records of ONE partition of the runs topic, whichever Kafka client delivered them (kafkajs in
 * `KafkaRunConsumer`, or Lambda's event source mapping): up to `concurrency` handlers at once, runs
 * sharing an ordering key (the Kafka message key, else the run's entity, else its run id) one at a
 * time in offset order, reports pipelined (`PartitionPipeline`), offsets committed in order up to
 * the lowest run not yet reported. It stops at the first run that must be retried (deferred) and says when to retry it; a
 * record that keeps failing unexpectedly is skipped after a few attempts, so no poison message
 * stalls a partition. Keeps the attempt counts across batches: one instance per consumer.
 */
export class PartitionRunner {
  private readonly attempts = new Map<string, number>();
  readonly settings: PartitionRunnerSettings;

  constructor(
    private readonly processor: RunStarter,
    private readonly logger: Logger,
    settings: Partial<PartitionRunnerSettings> = {},
  ) {
    this.settings = { ...DEFAULT_PARTITION_RUNNER_SETTINGS, ...settings };
  }

  /** Runs one batch of a partition to the end (Lambda: the invocation waits for it). */
  async run(records: readonly RunRecord[], hooks: PartitionHooks = {}): Promise<PartitionEnd> {
    const results = new Map<string, RunResult>();
    const ordered = [...records].sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0));
    const end = await this.pipeline(hooks, results).run(ordered);
    const completed = ordered.flatMap((record) => {
      const result = results.get(record.offset);
      return result === undefined ? [] : [result];
    });
    return this.partitionEnd(end, completed);
  }

  /**
   * A long-lived stream over one partition (kafkajs): records are offered batch after batch and
   * run as above, across batches, so a slow run holds neither its batch nor the ones fetched after
   * it. `offer` resolves once the records fit the in-flight window (`concurrency` waiting to start).
   */
  open(hooks: PartitionHooks = {}): PartitionSession {
    const stream = this.pipeline(hooks).open();
    const ended = stream.ended.then((end) => this.partitionEnd(end, []));
    ended.catch(() => undefined);
    return {
      offer: (records) => stream.offer(records, QUEUED_PER_HANDLER * this.settings.concurrency),
      get accepting() {
        return stream.accepting;
      },
      changed: () => stream.changed(),
      close: () => stream.close().then((end) => this.partitionEnd(end, [])),
      ended,
    };
  }

  private pipeline(hooks: PartitionHooks, results?: Map<string, RunResult>): PartitionPipeline<RunRecord> {
    return new PartitionPipeline<RunRecord>({
      attempt: (record, handled) => this.attempt(record, handled, results),
      commitThrough: hooks.commitThrough ?? (async () => undefined),
      mayStart: hooks.mayStart ?? (() => true),
      maxConcurrent: this.settings.concurrency,
      keyOf: (record) => this.orderingKeyOf(record),
      // A report (the final status call) takes about as long as a handler's calls: with only as many report places as
      // handlers, a burst of reports stops new handlers half of the time. Twice as many keeps the handler slots busy.
      maxReportsInFlight:
        this.settings.maxReportsInFlight === 0 ? 0 : Math.max(this.settings.maxReportsInFlight, 2 * this.settings.concurrency),
      ...(hooks.heartbeat !== undefined && { heartbeat: hooks.heartbeat }),
    });
  }

  private partitionEnd(end: PipelineEnd<RunRecord>, results: readonly RunResult[]): PartitionEnd {
    if (end.kind !== 'retry') return { kind: end.kind, results };
    return { kind: 'retry', record: end.record, delayMs: this.retryDelay(end.record, end.afterMs), results };
  }

  /** Done when the run is reported or skipped for good; otherwise it is retried later. Never rejects. */
  private async attempt(record: RunRecord, handled: () => void, results: Map<string, RunResult> | undefined): Promise<RecordAttempt> {
    const key = keyOf(record);
    const source = { topic: record.topic, partition: record.partition, offset: record.offset };
    try {
      const started = await this.processor.start(record.value ?? '', source);
      if (started.mayOverlap) handled();
      const result = await started.done;
      results?.set(record.offset, result);
      this.attempts.delete(key);
      return { done: true };
    } catch (error) {
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const where = { ...source, attempt };
      if (isRetryable(error)) {
        this.logger.warn('A run will be retried: transient failure', { ...where, error: errorMessage(error) });
        const afterMs = retryAfterMsOf(error);
        return afterMs === undefined ? { done: false } : { done: false, afterMs };
      }
      if (attempt >= this.settings.maxUnexpectedFailures) {
        this.attempts.delete(key);
        this.logger.error('Skipped a record that kept failing unexpectedly; its partition moves on', {
          ...where,
          error: errorMessage(error),
        });
        return { done: true };
      }
      this.logger.error('A record failed unexpectedly; it will be retried', { ...where, error: errorMessage(error) });
      return { done: false };
    }
  }

  /** The Kafka key, else what the run itself says (its entity, else its run id); undefined orders nothing. */
  private orderingKeyOf(record: RunRecord): string | undefined {
    const key = record.key;
    if (key !== undefined && key !== null && key.length > 0) {
      return `key:${typeof key === 'string' ? key : new TextDecoder().decode(key)}`;
    }
    return this.processor.orderingKey?.(record.value ?? '');
  }

  private retryDelay(record: RunRecord, afterMs: number | undefined): number {
    const attempt = this.attempts.get(keyOf(record)) ?? 1;
    const { retry } = this.settings;
    return Math.min(retry.maxDelayMs, Math.max(backoffDelayMs(attempt, retry), afterMs ?? 0));
  }
}

function keyOf(record: RunRecord): string {
  return `${record.topic}:${record.partition}:${record.offset}`;
}
