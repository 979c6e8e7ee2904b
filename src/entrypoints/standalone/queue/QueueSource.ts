import type { ReceivedQueueMessage } from '../../../adapters/memory/InMemoryNotificationQueue.js';

/** One message received from a queue, as an SQS event source mapping sees it (one type for both queues). */
export type SourceMessage = ReceivedQueueMessage;

/**
 * A queue the local event source mapping polls: the in-process queue of the `memory` profile or
 * SQS. Mirrors the three calls Lambda's SQS poller makes.
 */
export interface QueueSource {
  /** ARN-like name put in the records' `eventSourceARN`; read by log lines, so it must never throw. */
  readonly arn: string;
  /** Up to `max` messages; waits up to `waitMs` for the first one (long polling). */
  receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]>;
  /** Deletes handled messages. */
  acknowledge(messages: readonly SourceMessage[]): Promise<void>;
  /** Makes failed messages visible again after `delayMs` (they are retried, then dead-lettered by the queue's redrive policy). */
  release(messages: readonly SourceMessage[], delayMs: number): Promise<void>;
}
