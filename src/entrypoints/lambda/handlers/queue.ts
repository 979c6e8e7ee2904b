import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliverQueuedNotification } from '../../../application/notifications/usecases/DeliverQueuedNotification.js';
import { errorName, errorMessage } from '../../../domain/shared/HermesError.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';

export type QueueHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * SQS → every record broadcast to its room, in parallel. Records that fail (invalid body, room
 * unreadable) are reported in `batchItemFailures`, so only they are retried and, after the
 * queue's maxReceiveCount, dead-lettered. Requires `ReportBatchItemFailures` on the event source mapping.
 */
export interface QueueHandlerDeps extends HandlerLogging {
  readonly deliver: Pick<DeliverQueuedNotification, 'execute'>;
}

export function createQueueHandler(deps: QueueHandlerDeps): QueueHandler {
  const { deliver, logger } = deps;

  const handleRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const report = await deliver.execute({ body: record.body, messageId: record.messageId });
      logger.debug('queued notification delivered', { messageId: record.messageId, ...report });
    } catch (error) {
      logger.error('queued notification failed', {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        error: `${errorName(error)}: ${errorMessage(error)}`,
      });
      throw error;
    }
  };

  return async (event, context) => {
    withLogContext(deps, context);
    // A processor holds one batch's state: one per invocation, so concurrent local invocations never share it.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, handleRecord, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  };
}
