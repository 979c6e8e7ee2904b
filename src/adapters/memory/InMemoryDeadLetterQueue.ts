import type { DeadLetter, DeadLetterQueue } from '../../application/notifications/ports/DeadLetterQueue.js';
import type { InMemoryNotificationQueue } from './InMemoryNotificationQueue.js';

/** The dead-letter list of the `memory` profile's queue. */
export class InMemoryDeadLetterQueue implements DeadLetterQueue {
  constructor(private readonly queue: InMemoryNotificationQueue) {}

  async list(max = 100): Promise<DeadLetter[]> {
    return this.queue.deadLetters.slice(0, max).map((m) => ({
      id: m.messageId,
      body: m.body,
      receiveCount: m.receiveCount,
      sentAt: m.sentAt.toISOString(),
    }));
  }

  async redrive(id: string): Promise<boolean> {
    return this.queue.redrive(id);
  }

  async discard(id: string): Promise<boolean> {
    return this.queue.discard(id);
  }
}
