import type { InMemoryNotificationQueue } from '../../../adapters/memory/InMemoryNotificationQueue.js';
import type { QueueSource, SourceMessage } from './QueueSource.js';

/** Longest a stop waits for a long poll of the in-memory queue to return. */
const ABORT_CHECK_MS = 50;

export const IN_MEMORY_QUEUE_ARN = 'arn:aws:sqs:local:000000000000:hermes-notifications';

/** The `memory` profile's in-process queue, seen through the calls an SQS poller makes. */
export class InMemoryQueueSource implements QueueSource {
  readonly arn = IN_MEMORY_QUEUE_ARN;

  constructor(private readonly queue: InMemoryNotificationQueue) {}

  async receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]> {
    // The queue's long poll runs to its deadline, so it is waited for in short slices that an abort can cut.
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (signal?.aborted) return [];
      const remaining = deadline - Date.now();
      const messages = await this.queue.receive(max, Math.max(0, Math.min(ABORT_CHECK_MS, remaining)));
      if (messages.length > 0 || remaining <= ABORT_CHECK_MS) return messages;
    }
  }

  async acknowledge(messages: readonly SourceMessage[]): Promise<void> {
    for (const message of messages) this.queue.delete(message.receiptHandle);
  }

  async release(messages: readonly SourceMessage[], delayMs: number): Promise<void> {
    for (const message of messages) this.queue.release(message.receiptHandle, delayMs);
  }
}
