import type { Context, SelfManagedKafkaEvent, SelfManagedKafkaRecord } from 'aws-lambda';
import type { HandleActionRun } from '../../../application/runs/usecases/HandleActionRun.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';

/** What one invocation did, by result kind. */
export interface ActionRunnerSummary {
  readonly records: number;
  readonly completed: number;
  readonly skipped: number;
  readonly duplicates: number;
}

export type ActionRunnerHandler = (event: SelfManagedKafkaEvent, context?: Context) => Promise<ActionRunnerSummary>;

/** Raised to make the event source mapping retry the batch; names the records, never their content. */
export class ActionRunnerBatchError extends Error {
  constructor(readonly failed: ReadonlyArray<{ readonly topic: string; readonly partition: number; readonly offset: number }>) {
    super(
      `${failed.length} run record(s) must be retried: ${failed.map((f) => `${f.topic}-${f.partition}@${f.offset}`).join(', ')}`,
    );
    this.name = 'ActionRunnerBatchError';
  }
}

/**
 * Self-managed Kafka event (`records["topic-partition"][]`, base64 `value`) → HandleActionRun for
 * every record: partitions in parallel, records of a partition in offset order. Runs that fail or
 * messages that are not runs are settled (FAILURE reported, or skipped) and never block the batch.
 * A record that must be retried (Port or the ledger unavailable) stops its partition and makes the
 * invocation fail, so the event source mapping delivers the batch again; the run ledger skips the
 * records already handled.
 */
export interface ActionRunnerHandlerDeps extends HandlerLogging {
  readonly handleRun: Pick<HandleActionRun, 'execute'>;
}

export function createActionRunnerHandler(deps: ActionRunnerHandlerDeps): ActionRunnerHandler {
  const { handleRun, logger } = deps;

  return async (event, context) => {
    withLogContext(deps, context);
    const counts = { records: 0, completed: 0, skipped: 0, duplicates: 0 };
    const failed: Array<{ topic: string; partition: number; offset: number }> = [];

    const handlePartition = async (records: readonly SelfManagedKafkaRecord[]): Promise<void> => {
      const ordered = [...records].sort((a, b) => a.offset - b.offset);
      for (const record of ordered) {
        counts.records += 1;
        const where = { topic: record.topic, partition: record.partition, offset: record.offset };
        try {
          const result = await handleRun.execute({
            message: Buffer.from(record.value ?? '', 'base64'),
            source: where,
          });
          if (result.kind === 'completed') counts.completed += 1;
          else if (result.kind === 'duplicate') counts.duplicates += 1;
          else counts.skipped += 1;
        } catch (error) {
          logger.warn('A run record must be retried; the rest of its partition waits for the retry', {
            ...where,
            error: error instanceof Error ? error.message : String(error),
          });
          failed.push(where);
          return;
        }
      }
    };

    await Promise.all(Object.values(event.records ?? {}).map((records) => handlePartition(records)));
    logger.info('Kafka batch handled', { ...counts, failed: failed.length });
    if (failed.length > 0) throw new ActionRunnerBatchError(failed);
    return counts;
  };
}
