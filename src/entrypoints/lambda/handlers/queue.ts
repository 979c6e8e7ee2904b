import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliverQueuedNotification } from '../../../application/notifications/usecases/DeliverQueuedNotification.js';
import { errorName, errorMessage } from '../../../domain/shared/HermesError.js';
import { withLogCorrelation } from '../../../adapters/logging/logCorrelation.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';

export type QueueHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * SQS → every record broadcast to its room, in parallel. Records that fail (invalid body, room
 * unreadable) are reported in `batchItemFailures`, so only they are retried and, after the
 * queue's maxReceiveCount, dead-lettered. Requires `ReportBatchItemFailures` on the event source mapping.
 */
export interface QueueHandlerDeps extends HandlerLogging {
  readonly deliver: Pick<DeliverQueuedNotification, 'execute'>;
  /** The queue's redrive `maxReceiveCount` (HERMES_MAX_RECEIVE_COUNT): a record failing its last receive is dead-lettered. */
  readonly maxReceiveCount?: number;
}

const DEFAULT_MAX_RECEIVE_COUNT = 5;

export function createQueueHandler(deps: QueueHandlerDeps): QueueHandler {
  const { deliver, logger } = deps;

  const handleRecord = (record: SQSRecord): Promise<void> =>
    withLogCorrelation({ messageId: record.messageId }, () => deliverRecord(record));

  const deliverRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const report = await deliver.execute({ body: record.body, messageId: record.messageId });
      logger.debug('queued notification delivered', { messageId: record.messageId, ...report });
      deps.metrics?.increment('hermes_queue_records_total', { result: 'delivered' });
    } catch (error) {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? 1);
      const last = receives >= (deps.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT);
      deps.metrics?.increment('hermes_queue_records_total', { result: last ? 'dead_lettered' : 'retried' });
      logger.error('queued notification failed', {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        error: `${errorName(error)}: ${errorMessage(error)}`,
      });
      throw error;
    }
  };

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    // A processor holds one batch's state: one per invocation, so concurrent local invocations never share it.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, handleRecord, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  });
}
