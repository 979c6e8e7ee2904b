import type { Consumer, ConsumerConfig, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { createKafka, type KafkaConnectionSettings } from './createKafka.js';
import type { KafkaRecord, RecordProgress } from './KafkaRecord.js';
import { PartitionPipeline, type RecordAttempt } from './PartitionPipeline.js';

export type { KafkaRecord, RecordProgress } from './KafkaRecord.js';

/** What to do after the processor rejected. */
export type FailureDisposition =
  /** Transient: keep the offset, retry after a backoff (at least `afterMs`). */
  | { readonly retry: true; readonly afterMs?: number }
  /** Unexpected: retried a few times, then skipped so the partition moves on. */
  | { readonly retry: false };

export interface KafkaRunConsumerOptions {
  readonly connection: KafkaConnectionSettings;
  readonly topic: string;
  readonly groupId: string;
  /**
   * Handles one record; resolves when done with it (its offset is then committed). It may call
   * `progress.handled()` once only the record's report is left: the next record of the partition
   * then starts while the report is in flight.
   */
  readonly process: (record: KafkaRecord, progress: RecordProgress) => Promise<void>;
  readonly classify: (error: unknown) => FailureDisposition;
  readonly logger: Logger;
  /** Partitions processed at the same time (kafkajs `partitionsConsumedConcurrently`). Default 16. */
  readonly partitionsConcurrently?: number;
  /**
   * Records of one partition whose report may still be in flight while the next record's handler
   * runs (see `PartitionPipeline`). Default 8; 0 handles a partition strictly one record after the other.
   */
  readonly maxReportsInFlight?: number;
  /** Where a group without committed offsets starts. Default false: new runs only, as the tutorial's `LATEST`. */
  readonly fromBeginning?: boolean;
  /** kafkajs consumer settings (session timeout, heartbeat, fetch wait). */
  readonly consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  /** Backoff of retried records. Defaults 1 s doubling to 60 s. */
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** Attempts of a record that fails unexpectedly before it is skipped. Default 5. */
  readonly maxUnexpectedFailures?: number;
  /** When no partition is assigned this long after start, say so. Default 30 s. */
  readonly assignmentWarningMs?: number;
}

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_REPORTS_IN_FLIGHT = 8;

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/**
 * Consumes Port's runs topic with kafkajs. Offsets are committed manually, in order, and only for
 * records the processor completed, so a crash re-delivers what was in flight (the run ledger makes
 * that harmless). Partitions are processed concurrently; within a partition, handlers run one at a
 * time in offset order, while the reports of earlier records may still be in flight
 * (`PartitionPipeline`). A transiently failing record pauses only its own partition, which is
 * consumed again from that record after a backoff; a record that keeps failing unexpectedly is
 * skipped after a few attempts, so no poison message stalls a partition. The group's assignment is
 * logged, loudly when it is empty.
 */
export class KafkaRunConsumer {
  private consumer: Consumer | undefined;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  private assigned: number[] | undefined;
  private readonly assignmentWaiters = new Set<(partitions: number[]) => void>();
  private assignmentTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: KafkaRunConsumerOptions) {}

  /** The partitions of the topic this member holds since its last group join (undefined before the first). */
  get assignedPartitions(): readonly number[] | undefined {
    return this.assigned;
  }

  /** Connects, joins the group and starts consuming; resolves once the group is joined. */
  async start(): Promise<void> {
    const { options } = this;
    const kafka = await createKafka(options.connection, options.logger);
    const consumer = kafka.consumer({ ...options.consumerConfig, groupId: options.groupId });
    this.consumer = consumer;
    this.watch(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: options.fromBeginning ?? false });
    this.assignmentTimer = setTimeout(() => {
      if (this.assigned === undefined || this.assigned.length === 0) this.reportNoPartitions('no partition assigned yet');
    }, options.assignmentWarningMs ?? 30_000);
    this.assignmentTimer.unref();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? DEFAULT_CONCURRENCY,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    options.logger.info('Kafka runs consumer started', { topic: options.topic, groupId: options.groupId });
  }

  /** Resolves with the partitions assigned at the next (or last) group join that assigned any. */
  waitForAssignment(timeoutMs: number): Promise<readonly number[]> {
    if (this.assigned !== undefined && this.assigned.length > 0) return Promise.resolve(this.assigned);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.assignmentWaiters.delete(done);
        reject(new Error(`no partition of ${this.options.topic} assigned within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (partitions: number[]): void => {
        clearTimeout(timer);
        resolve(partitions);
      };
      this.assignmentWaiters.add(done);
    });
  }

  /**
   * Graceful shutdown: no new record starts; the records in flight in each partition complete,
   * reports included, and are committed; then the consumer leaves the group.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    if (this.assignmentTimer !== undefined) clearTimeout(this.assignmentTimer);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer !== undefined) await consumer.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale, pause } = payload;
    const records = batch.messages.map((message) => this.recordOf(batch.topic, batch.partition, message));
    const pipeline = new PartitionPipeline({
      attempt: (record, handled) => this.processOnce(record, handled),
      mayStart: () => !this.stopping && isRunning() && !isStale(),
      maxReportsInFlight: this.options.maxReportsInFlight ?? DEFAULT_REPORTS_IN_FLIGHT,
      heartbeat,
      commitThrough: async (offset) => {
        // A pending seek (or a lost partition) means another position wins: commit nothing more.
        if (isStale()) return;
        resolveOffset(offset);
        await commitOffsetsIfNecessary({
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset(offset) }] }],
        });
      },
    });
    const end = await pipeline.run(records);
    if (end.kind === 'retry') {
      // Not resolved from this record on: after the pause, the partition is fetched again from it.
      const delay = this.retryDelay(end.record, end.afterMs);
      const resume = pause();
      this.scheduleResume(resume, delay);
    }
  }

  /** Done when the record is handled or skipped for good; otherwise it is retried later. Never rejects. */
  private async processOnce(record: KafkaRecord, handled: () => void): Promise<RecordAttempt> {
    const key = `${record.partition}:${record.offset}`;
    try {
      await this.options.process(record, { handled });
      this.attempts.delete(key);
      return { done: true };
    } catch (error) {
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const where = { topic: record.topic, partition: record.partition, offset: record.offset, attempt };
      const reason = error instanceof Error ? error.message : String(error);
      let disposition: FailureDisposition;
      try {
        disposition = this.options.classify(error);
      } catch {
        disposition = { retry: false };
      }
      if (disposition.retry) {
        this.options.logger.warn('A run will be retried: transient failure', { ...where, error: reason });
        return disposition.afterMs === undefined ? { done: false } : { done: false, afterMs: disposition.afterMs };
      }
      const maxAttempts = this.options.maxUnexpectedFailures ?? 5;
      if (attempt >= maxAttempts) {
        this.attempts.delete(key);
        this.options.logger.error('Skipped a record that kept failing unexpectedly; its partition moves on', {
          ...where,
          error: reason,
        });
        return { done: true };
      }
      this.options.logger.error('A record failed unexpectedly; it will be retried', { ...where, error: reason });
      return { done: false };
    }
  }

  private retryDelay(record: KafkaRecord, afterMs: number | undefined): number {
    const attempt = this.attempts.get(`${record.partition}:${record.offset}`) ?? 1;
    const base = this.options.retryBaseDelayMs ?? 1_000;
    const max = this.options.retryMaxDelayMs ?? 60_000;
    const ceiling = Math.min(max, base * 2 ** (attempt - 1));
    const jittered = ceiling / 2 + (Math.random() * ceiling) / 2;
    const hinted = afterMs ?? 0;
    return Math.round(Math.min(max, Math.max(jittered, hinted)));
  }

  private scheduleResume(resume: () => void, delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (!this.stopping) resume();
    }, delayMs);
    this.resumeTimers.add(timer);
  }

  private recordOf(topic: string, partition: number, message: KafkaMessage): KafkaRecord {
    return { topic, partition, offset: message.offset, key: message.key, value: message.value };
  }

  private watch(consumer: Consumer): void {
    const { logger, topic, groupId } = this.options;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const partitions = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      this.assigned = partitions;
      if (partitions.length === 0) {
        this.reportNoPartitions('the group join assigned this member no partition');
        return;
      }
      logger.info('Joined the consumer group', { groupId, topic, partitions: partitions.join(',') });
      for (const waiter of this.assignmentWaiters) waiter(partitions);
      this.assignmentWaiters.clear();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      logger.error(restart ? 'Kafka consumer crashed; kafkajs restarts it' : 'Kafka consumer crashed and stopped', {
        groupId,
        topic,
        errorName: error.name,
        error: `${error.message}${hintFor(error)}`,
      });
    });
  }

  private reportNoPartitions(situation: string): void {
    const { logger, topic, groupId } = this.options;
    logger.error(`Kafka consumer has no partition of the runs topic: ${situation}`, {
      groupId,
      topic,
      hint:
        'check KAFKA_RUNS_TOPIC (Port publishes runs on ORG_ID.runs), that the group has no more members than the ' +
        'topic has partitions, and that KAFKA_CONSUMER_GROUP_NAME is allowed (Port: ORG_ID.<name> or your Kafka username)',
    });
  }
}

/** A hint for the Kafka errors operators meet first. */
function hintFor(error: Error): string {
  const type = (error as { type?: unknown }).type;
  if (type === 'GROUP_AUTHORIZATION_FAILED') {
    return ' (Port allows consumer groups named ORG_ID.<anything> or your Kafka username: check KAFKA_CONSUMER_GROUP_NAME)';
  }
  if (type === 'TOPIC_AUTHORIZATION_FAILED' || type === 'UNKNOWN_TOPIC_OR_PARTITION') {
    return ' (check KAFKA_RUNS_TOPIC: Port publishes runs on ORG_ID.runs)';
  }
  if (error.name === 'KafkaJSSASLAuthenticationError') {
    return ' (check KAFKA_USERNAME, KAFKA_PASSWORD and KAFKA_AUTHENTICATION_MECHANISM)';
  }
  return '';
}
