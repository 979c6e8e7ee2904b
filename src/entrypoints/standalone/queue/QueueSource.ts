/** One message received from a queue, as an SQS event source mapping sees it. */
export interface SourceMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** How many times it has been received, this time included. */
  readonly receiveCount: number;
  readonly sentAt: Date;
}

/**
 * A queue the local event source mapping polls: the in-process queue of the `memory` profile or
 * SQS. Mirrors the three calls Lambda's SQS poller makes.
 */
export interface QueueSource {
  /** ARN-like name put in the records' `eventSourceARN`. */
  readonly arn: string;
  /** Up to `max` messages; waits up to `waitMs` for the first one (long polling). */
  receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]>;
  /** Deletes handled messages. */
  acknowledge(messages: readonly SourceMessage[]): Promise<void>;
  /** Makes failed messages visible again after `delayMs` (they are retried, then dead-lettered by the queue's redrive policy). */
  release(messages: readonly SourceMessage[], delayMs: number): Promise<void>;
}
