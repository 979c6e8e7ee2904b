import type { InMemoryNotificationQueue } from '../../../adapters/memory/InMemoryNotificationQueue.js';
import type { QueueSource, SourceMessage } from './QueueSource.js';

export const IN_MEMORY_QUEUE_ARN = 'arn:aws:sqs:local:000000000000:hermes-notifications';

/** The `memory` profile's in-process queue, seen through the calls an SQS poller makes. */
export class InMemoryQueueSource implements QueueSource {
  readonly arn = IN_MEMORY_QUEUE_ARN;

  constructor(private readonly queue: InMemoryNotificationQueue) {}

  async receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]> {
    if (signal?.aborted) return [];
    const interrupt = (): void => this.queue.interrupt();
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      return await this.queue.receive(max, waitMs);
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
  }

  async acknowledge(messages: readonly SourceMessage[]): Promise<void> {
    for (const message of messages) this.queue.delete(message.receiptHandle);
  }

  async release(messages: readonly SourceMessage[], delayMs: number): Promise<void> {
    for (const message of messages) this.queue.release(message.receiptHandle, delayMs);
  }
}
