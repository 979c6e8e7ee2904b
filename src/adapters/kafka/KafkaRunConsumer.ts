import type { Admin, Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { PartitionEnd, PartitionRunner, PartitionSession, RunRecord } from '../../application/runs/PartitionRunner.js';
import { backoffDelayMs, type BackoffPolicy } from '../../application/shared/backoff.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { Metrics } from '../../application/shared/ports/Metrics.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { ConsumerStateName, ConsumerStatus } from './ConsumerState.js';
import { createKafka, type KafkaConnectionSettings } from './createKafka.js';

export type { ConsumerStatus } from './ConsumerState.js';

export interface KafkaRunConsumerOptions {
  readonly connection: KafkaConnectionSettings;
  readonly topic: string;
  readonly groupId: string;
  /** Runs the records of each partition batch (order, pipelining, retries, commits). */
  readonly partitionRunner: PartitionRunner;
  readonly logger: Logger;
  /** Partitions processed at the same time (kafkajs `partitionsConsumedConcurrently`). Default 16. */
  readonly partitionsConcurrently?: number;
  /** Where a group without committed offsets starts. Default false: new runs only, as the tutorial's `LATEST`. */
  readonly fromBeginning?: boolean;
  /** kafkajs consumer settings (session timeout, heartbeat, fetch wait). */
  readonly consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  /** Backoff between attempts to (re)create the consumer. Default 1 s doubling to 30 s. */
  readonly reconnect?: BackoffPolicy;
  /** When no partition is assigned this long after start, say so. Default 30 s. */
  readonly assignmentWarningMs?: number;
  /** Where the consumer lag of each partition is recorded (`hermes_kafka_consumer_lag`). */
  readonly metrics?: Metrics;
}

const DEFAULT_CONCURRENCY = 16;
/** How long `stop` waits for a connection attempt under way. */
const STOP_WAIT_MS = 1_000;
const DEFAULT_RECONNECT: BackoffPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000 };

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** The long-lived scheduler of one assigned partition, across the batches kafkajs delivers. */
interface PartitionStreamState {
  readonly session: PartitionSession;
  /** The consumer and group generation it belongs to: a rejoin or a new consumer ends it. */
  readonly consumer: Consumer;
  readonly generation: number;
  /** Heartbeats with the latest batch's `heartbeat` (kafkajs' own, valid while the consumer runs). */
  readonly useHeartbeat: (heartbeat: () => Promise<void>) => void;
  /** Resolves once the session ended and what follows (a seek back for a retry) is done. */
  readonly finished: Promise<void>;
}

/**
 * Consumes Port's runs topic with kafkajs and hands each partition's batches to one long-lived
 * `PartitionRunner` session per partition, so a slow run holds neither its batch nor the batches
 * fetched after it; only kafkajs concerns live here. Offsets are committed manually
 * (`consumer.commitOffsets`), only up to the lowest run not yet reported, so a crash re-delivers
 * what was in flight (the run ledger makes that harmless);
 * when a partition is first assigned without a committed offset its starting position is committed,
 * so a crash before the first run's commit re-delivers that run instead of skipping to the latest.
 * A run to retry pauses only its partition, sought back to that run and resumed after the runner's delay.
 * `start` returns at once: the consumer connects in the background and, after any crash (the
 * cluster restarted, the group vanished), is created again with backoff until it rejoins; `status`
 * says where it is.
 */
export class KafkaRunConsumer {
  private consumer: Consumer | undefined;
  private kafka: Kafka | undefined;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private assigned: number[] | undefined;
  private readonly assignmentWaiters = new Set<(partitions: number[]) => void>();
  private assignmentTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private supervisor: Promise<void> | undefined;
  private wakeSupervisor: (() => void) | undefined;
  private current: ConsumerStatus = { state: 'connecting', since: new Date().toISOString(), attempts: 0 };
  /** Starting positions being committed after a join; batches wait for them. */
  private startingPositions: Promise<void> = Promise.resolve();
  /** Partitions without a committed offset at the last join, until their first batch commits its first offset. */
  private readonly uncommitted = new Set<number>();
  /** The starting position's commit of a partition whose stream is not open yet: that stream's commits follow it. */
  private readonly startCommits = new Map<number, Promise<void>>();
  /** One scheduler per partition being consumed; batches hand their records to it and return once they are started or queued. */
  private readonly streams = new Map<number, PartitionStreamState>();
  /** Group joins seen: a stream of an earlier generation starts nothing new (its partition may have moved). */
  private generation = 0;

  constructor(private readonly options: KafkaRunConsumerOptions) {}

  /** The partitions of the topic this member holds since its last group join (undefined before the first). */
  get assignedPartitions(): readonly number[] | undefined {
    return this.assigned;
  }

  /** Where the consumer is: `consuming` only once it has joined its group. */
  status(): ConsumerStatus {
    return this.current;
  }

  /**
   * Starts connecting in the background and returns at once; a failure to connect is retried with
   * backoff and shows in `status()`, never as a rejection.
   */
  start(): Promise<void> {
    if (this.supervisor === undefined && !this.stopping) {
      this.assignmentTimer = setTimeout(() => {
        if (this.assigned === undefined || this.assigned.length === 0) this.reportNoPartitions('no partition assigned yet');
      }, this.options.assignmentWarningMs ?? 30_000);
      this.assignmentTimer.unref();
      this.supervisor = this.supervise();
    }
    return Promise.resolve();
  }

  /** Resolves with the partitions assigned at the next (or last) group join that assigned any. */
  waitForAssignment(timeoutMs: number): Promise<readonly number[]> {
    if (this.assigned !== undefined && this.assigned.length > 0) return Promise.resolve(this.assigned);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.assignmentWaiters.delete(done);
        reject(
          new Error(
            `no partition of ${this.options.topic} assigned within ${timeoutMs} ms (consumer ${this.current.state}${this.current.lastError ? `: ${this.current.lastError}` : ''})`,
          ),
        );
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
   * reports included, and are committed; then the consumer leaves the group. Records still in
   * flight after `graceMs` are told to stop (`onGraceExpired`: their handlers' `ctx.signal`); what
   * they did not report is not committed, so it is redelivered.
   */
  async stop(shutdown: { readonly graceMs?: number; readonly onGraceExpired?: () => void } = {}): Promise<void> {
    this.stopping = true;
    const grace = shutdown.onGraceExpired === undefined ? undefined : setTimeout(shutdown.onGraceExpired, shutdown.graceMs ?? 30_000);
    try {
      await this.stopConsuming();
    } finally {
      clearTimeout(grace);
    }
  }

  private async stopConsuming(): Promise<void> {
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    if (this.assignmentTimer !== undefined) clearTimeout(this.assignmentTimer);
    // No new record starts; the ones in flight settle (the grace aborts them) and what completed is committed, before leaving the group.
    await this.drainStreams();
    this.wakeSupervisor?.();
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer !== undefined) await consumer.disconnect().catch(() => undefined);
    // A connection attempt still under way (kafkajs retrying an unreachable broker) is abandoned once it ends; stop does not wait for it.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.supervisor, new Promise<void>((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(waited);
    this.enter('stopped');
  }

  /** Creates, runs and, after a crash, re-creates the consumer until `stop`. */
  private async supervise(): Promise<void> {
    const { logger, topic, groupId } = this.options;
    const policy = this.options.reconnect ?? DEFAULT_RECONNECT;
    while (!this.stopping) {
      const crashed = new Promise<string>((resolve) => {
        this.wakeSupervisor = () => resolve('stopping');
      });
      let failure: string;
      try {
        failure = await this.runOnce(crashed);
      } catch (error) {
        failure = errorMessage(error);
        const consumer = this.consumer;
        this.consumer = undefined;
        this.wakeStreams();
        await consumer?.disconnect().catch(() => undefined);
      }
      if (this.stopping) return;
      const attempts = this.current.attempts + 1;
      const delayMs = backoffDelayMs(attempts, policy);
      this.enter('reconnecting', failure, attempts);
      logger.warn('Kafka runs consumer is not consuming; it will connect again', {
        topic,
        groupId,
        attempt: attempts,
        delayMs,
        error: failure,
      });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.wakeSupervisor = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One consumer's life: resolves with the reason it stopped consuming (a crash), or rejects when it could not start. */
  private async runOnce(stopped: Promise<string>): Promise<string> {
    const { options } = this;
    if (this.current.state !== 'connecting') this.enter('connecting', this.current.lastError, this.current.attempts);
    const kafka = await createKafka(options.connection, options.logger);
    this.kafka = kafka;
    const consumer = kafka.consumer({
      ...options.consumerConfig,
      groupId: options.groupId,
      // This class re-creates a crashed consumer itself (with backoff and a status), whatever the error.
      retry: { ...options.consumerConfig?.retry, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    const crashed = new Promise<string>((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => resolve(`${event.payload.error.name}: ${event.payload.error.message}`));
    });
    this.watch(consumer);
    await consumer.connect();
    if (this.stopping) return this.abandon(consumer);
    await consumer.subscribe({ topics: [options.topic], fromBeginning: options.fromBeginning ?? false });
    if (this.stopping) return this.abandon(consumer);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? DEFAULT_CONCURRENCY,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    options.logger.info('Kafka runs consumer started', { topic: options.topic, groupId: options.groupId });
    const reason = await Promise.race([crashed, stopped]);
    if (this.consumer === consumer) this.consumer = undefined;
    // A crashed consumer's streams start nothing more; what they did not report is redelivered to the next one.
    this.wakeStreams();
    await consumer.disconnect().catch(() => undefined);
    return reason;
  }

  /** A consumer whose start-up ended after `stop`: disconnected, never run. */
  private async abandon(consumer: Consumer): Promise<string> {
    await consumer.disconnect().catch(() => undefined);
    return 'stopping';
  }

  private enter(state: ConsumerStateName, lastError?: string, attempts = 0): void {
    this.current = {
      state,
      since: new Date().toISOString(),
      attempts,
      ...(lastError !== undefined && { lastError }),
    };
  }

  /**
   * Hands the batch to its partition's stream and returns once its records are started or queued
   * in the stream's window (a full window waits for a slot: backpressure). The batch is resolved
   * so kafkajs fetches on; commits are the stream's (the lowest offset not yet reported), with
   * `consumer.commitOffsets`, never the resolved position.
   */
  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    await this.startingPositions;
    const consumer = this.consumer;
    if (consumer === undefined || this.stopping || payload.isStale()) return;
    const first = batch.messages[0];
    if (first !== undefined && this.uncommitted.delete(batch.partition)) {
      // The position the consumer starts from, in case a run was produced after the committed starting position was read.
      // Not awaited here (the runs need not wait for it): the partition's stream commits nothing before it landed.
      this.startCommits.set(batch.partition, this.commit(consumer, batch.partition, first.offset));
    }
    const lag = { topic: batch.topic, partition: String(batch.partition) };
    this.options.metrics?.set('hermes_kafka_consumer_lag', Number(batch.offsetLagLow()), lag);
    let stream = this.streams.get(batch.partition);
    if (stream !== undefined && (!stream.session.accepting || stream.generation !== this.generation || stream.consumer !== consumer)) {
      // The previous stream is ending (a retry, a rejoin): once it has (and sought back if it must), fetch again from what is not resolved.
      stream.session.changed();
      await stream.finished;
      return;
    }
    stream ??= this.openStream(consumer, batch.partition, first?.offset ?? batch.firstOffset() ?? '0', () => payload.heartbeat());
    stream.useHeartbeat(() => payload.heartbeat());
    const records = batch.messages.map((message) => this.recordOf(batch.topic, batch.partition, message));
    if (!(await stream.session.offer(records))) {
      await stream.finished;
      return;
    }
    const last = batch.messages.at(-1);
    if (last !== undefined && !payload.isStale()) payload.resolveOffset(last.offset);
    this.options.metrics?.set('hermes_kafka_consumer_lag', Number(batch.offsetLag()), lag);
  }

  private openStream(consumer: Consumer, partition: number, firstOffset: string, heartbeat: () => Promise<void>): PartitionStreamState {
    const generation = this.generation;
    const beat = { latest: heartbeat };
    /** The lowest offset not yet committed by this stream: where to read again if it fails. */
    let lowWater = firstOffset;
    const startCommit = this.startCommits.get(partition);
    this.startCommits.delete(partition);
    const session = this.options.partitionRunner.open({
      mayStart: () => !this.stopping && this.consumer === consumer && this.generation === generation,
      // A failed heartbeat (a rebalance under way) is kafkajs' to handle in its fetch loop; the runs in flight go on.
      heartbeat: () => beat.latest().catch(() => undefined),
      commitThrough: async (offset) => {
        await startCommit;
        lowWater = nextOffset(offset);
        await this.commit(consumer, partition, lowWater);
      },
    });
    const finished = session.ended.then(
      (end) => this.afterStream(consumer, partition, generation, end),
      (error: unknown) => {
        this.options.logger.error('A partition of the runs topic stopped unexpectedly; it is read again from its last commit', {
          topic: this.options.topic,
          partition,
          offset: lowWater,
          error: errorMessage(error),
        });
        this.readAgain(consumer, partition, generation, lowWater, 1_000);
      },
    );
    const state: PartitionStreamState = {
      session,
      consumer,
      generation,
      useHeartbeat: (latest) => (beat.latest = latest),
      finished: finished.finally(() => this.forget(partition, state)),
    };
    this.streams.set(partition, state);
    return state;
  }

  private forget(partition: number, state: PartitionStreamState | undefined): void {
    if (this.streams.get(partition) === state) this.streams.delete(partition);
  }

  /** A stream ended on a run to retry: the partition is read again from that run after the runner's delay. */
  private afterStream(consumer: Consumer, partition: number, generation: number, end: PartitionEnd): void {
    if (end.kind === 'retry') this.readAgain(consumer, partition, generation, end.record.offset, end.delayMs);
  }

  /** Pauses the partition and reads it again from `offset` after `delayMs` (nothing if the consumer or its generation moved on). */
  private readAgain(consumer: Consumer, partition: number, generation: number, offset: string, delayMs: number): void {
    if (this.stopping || this.consumer !== consumer || this.generation !== generation) return;
    const { topic } = this.options;
    const partitions = [{ topic, partitions: [partition] }];
    consumer.pause(partitions);
    // With autoCommit off, kafkajs' seek only moves the fetch position (it commits nothing).
    consumer.seek({ topic, partition, offset });
    this.scheduleResume(() => consumer.resume(partitions), delayMs);
  }

  /** Commits the partition's position (`offset`: the next record to read); a failure only means a redelivery, so it is logged, never thrown. */
  private async commit(consumer: Consumer, partition: number, offset: string): Promise<void> {
    const { topic } = this.options;
    await consumer.commitOffsets([{ topic, partition, offset }]).catch((error: unknown) => {
      this.options.logger.warn('Could not commit an offset of the runs topic; those runs may be redelivered', {
        topic,
        partition,
        offset,
        error: errorMessage(error),
      });
    });
  }

  /** Stops every stream from starting runs and waits for them to settle. */
  private async drainStreams(): Promise<void> {
    const streams = [...this.streams.values()];
    this.wakeStreams();
    await Promise.all(streams.map((stream) => stream.finished));
  }

  /** Lets every stream see that `mayStart` may have turned false. */
  private wakeStreams(): void {
    for (const stream of this.streams.values()) stream.session.changed();
  }

  private scheduleResume(resume: () => void, delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (!this.stopping) resume();
    }, delayMs);
    this.resumeTimers.add(timer);
  }

  private recordOf(topic: string, partition: number, message: KafkaMessage): RunRecord {
    return { topic, partition, offset: message.offset, key: message.key, value: message.value };
  }

  /**
   * Commits the starting position of every assigned partition that has no committed offset (the
   * latest offset, or the earliest with `fromBeginning`): without it, a consumer restarted after a
   * crash before its first commit would start at the new latest and skip the runs in between.
   */
  private async commitStartingPositions(consumer: Consumer, partitions: readonly number[]): Promise<void> {
    const { topic, groupId, logger } = this.options;
    const kafka = this.kafka;
    if (kafka === undefined || partitions.length === 0) return;
    let admin: Admin | undefined;
    try {
      admin = kafka.admin();
      await admin.connect();
      // Watermarks first: they load the topic's brokers into the new admin's pool. Asked first, the group's offsets
      // found no broker and waited for kafkajs' retry (~300 ms) while every first batch waited for this.
      // Read earlier, a watermark is at most lower: a run produced in between is delivered, never skipped.
      const watermarks = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const known = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
      const missing = partitions.filter((partition) => (known.get(partition) ?? '-1') === '-1');
      if (missing.length === 0) return;
      const positions = missing.flatMap((partition) => {
        const marks = watermarks.get(partition);
        if (marks === undefined) return [];
        return [{ topic, partition, offset: this.options.fromBeginning === true ? marks.low : marks.high }];
      });
      for (const position of positions) this.uncommitted.add(position.partition);
      await consumer.commitOffsets(positions);
      logger.info('Committed the starting position of newly assigned partitions', {
        topic,
        groupId,
        partitions: positions.map((p) => `${p.partition}@${p.offset}`).join(','),
      });
    } catch (error) {
      logger.warn('Could not commit the starting position of newly assigned partitions; a crash before their first commit may skip runs', {
        topic,
        groupId,
        error: errorMessage(error),
      });
    } finally {
      await admin?.disconnect().catch(() => undefined);
    }
  }

  private watch(consumer: Consumer): void {
    const { logger, topic, groupId } = this.options;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const partitions = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      this.assigned = partitions;
      this.generation += 1;
      // Streams of the previous generation start nothing more (their partitions may have moved); their runs in flight settle.
      this.wakeStreams();
      this.enter('consuming');
      this.uncommitted.clear();
      this.startingPositions = this.commitStartingPositions(consumer, partitions);
      if (partitions.length === 0) {
        this.reportNoPartitions('the group join assigned this member no partition');
        return;
      }
      logger.info('Joined the consumer group', { groupId, topic, partitions: partitions.join(',') });
      for (const waiter of this.assignmentWaiters) waiter(partitions);
      this.assignmentWaiters.clear();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error } = event.payload;
      logger.error('Kafka consumer crashed; it is created again after a backoff', {
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
