import type { Context, SelfManagedKafkaEvent, SelfManagedKafkaRecord } from 'aws-lambda';
import type { PartitionRunner, RunRecord } from '../../../application/runs/PartitionRunner.js';
import { TransientError } from '../../../domain/shared/HermesError.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';

/** What one invocation did, by result kind. */
export interface ActionRunnerSummary {
  readonly records: number;
  readonly completed: number;
  readonly skipped: number;
  readonly duplicates: number;
}

export type ActionRunnerHandler = (event: SelfManagedKafkaEvent, context?: Context) => Promise<ActionRunnerSummary>;

/** Raised to make the event source mapping retry the batch; names the records, never their content. */
export class ActionRunnerBatchError extends TransientError {
  readonly code = 'RUN_BATCH_RETRY';

  constructor(readonly failed: ReadonlyArray<{ readonly topic: string; readonly partition: number; readonly offset: number }>) {
    super(`${failed.length} run record(s) must be retried: ${failed.map((f) => `${f.topic}-${f.partition}@${f.offset}`).join(', ')}`);
  }
}

function runRecordOf(record: SelfManagedKafkaRecord): RunRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: String(record.offset),
    ...(record.key !== undefined && record.key !== null && record.key !== '' && { key: Buffer.from(record.key, 'base64') }),
    value: Buffer.from(record.value ?? '', 'base64'),
  };
}

/**
 * Self-managed Kafka event (`records["topic-partition"][]`, base64 `value`) → `PartitionRunner`
 * for each partition, partitions in parallel. Runs that fail or messages that are not runs are
 * settled (FAILURE reported, or skipped) and never block the batch. A record that must be retried
 * (Port or the ledger unavailable) stops its partition and makes the invocation fail, so the event
 * source mapping delivers the batch again; the run ledger skips the records already handled.
 */
export interface ActionRunnerHandlerDeps extends HandlerLogging {
  /** Runs each partition's records (the same runner the kafkajs consumer uses). */
  readonly partitionRunner: PartitionRunner;
}

export function createActionRunnerHandler(deps: ActionRunnerHandlerDeps): ActionRunnerHandler {
  const { partitionRunner, logger } = deps;

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    const counts = { records: 0, completed: 0, skipped: 0, duplicates: 0 };
    const failed: Array<{ topic: string; partition: number; offset: number }> = [];

    const handlePartition = async (records: readonly SelfManagedKafkaRecord[]): Promise<void> => {
      const end = await partitionRunner.run(records.map(runRecordOf));
      for (const result of end.results) {
        if (result.kind === 'completed') counts.completed += 1;
        else if (result.kind === 'duplicate') counts.duplicates += 1;
        else counts.skipped += 1;
      }
      if (end.kind === 'retry') {
        const where = { topic: end.record.topic, partition: end.record.partition, offset: Number(end.record.offset) };
        logger.warn('A run record must be retried; the rest of its partition waits for the retry', where);
        failed.push(where);
        counts.records += end.results.length + 1;
      } else {
        counts.records += records.length;
      }
    };

    await Promise.all(Object.values(event.records ?? {}).map((records) => handlePartition(records)));
    logger.info('Kafka batch handled', { ...counts, failed: failed.length });
    if (failed.length > 0) throw new ActionRunnerBatchError(failed);
    return counts;
  });
}
