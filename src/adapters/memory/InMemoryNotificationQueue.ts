import { randomUUID } from 'node:crypto';
import type { NotificationQueue } from '../../application/notifications/ports/NotificationQueue.js';
import type { Notification } from '../../domain/notification/Notification.js';
import { toQueuedMessage } from '../../domain/notification/QueuedNotificationMessage.js';

export interface InMemoryQueueOptions {
  /** How long a received message stays invisible before it can be received again. */
  readonly visibilityTimeoutMs: number;
  /** Receives after which a message moves to the dead-letter list instead (SQS redrive policy). */
  readonly maxReceiveCount: number;
}

export interface ReceivedQueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  readonly sentAt: Date;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: Date;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
}

export const DEFAULT_IN_MEMORY_QUEUE_OPTIONS: InMemoryQueueOptions = { visibilityTimeoutMs: 30_000, maxReceiveCount: 5 };

/**
 * A queue in process memory with SQS's delivery semantics (at-least-once, visibility timeout,
 * receive count, dead-letter list), so the local event source can drive the `queue` handler as
 * Lambda's SQS event source mapping does.
 */
export class InMemoryNotificationQueue implements NotificationQueue {
  private readonly messages: StoredMessage[] = [];
  private readonly dead: StoredMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private interruptions = 0;

  constructor(private readonly options: InMemoryQueueOptions = DEFAULT_IN_MEMORY_QUEUE_OPTIONS) {}

  async publish(notification: Notification): Promise<void> {
    this.enqueue(JSON.stringify(toQueuedMessage(notification)), { type: notification.type });
  }

  /** Accepts a raw body, as a producer writing the seed's `{user_id, room_id, data}` would. */
  enqueue(body: string, attributes: Readonly<Record<string, string>> = {}): string {
    const messageId = randomUUID();
    this.messages.push({ messageId, body, attributes, sentAt: new Date(), receiveCount: 0, visibleAt: 0 });
    this.wake();
    return messageId;
  }

  /** Up to `max` visible messages; waits up to `waitMs` for one to become visible (long polling). */
  async receive(max: number, waitMs = 0): Promise<ReceivedQueueMessage[]> {
    const deadline = Date.now() + waitMs;
    const interruptionsAtStart = this.interruptions;
    for (;;) {
      const batch = this.take(max);
      const remaining = deadline - Date.now();
      if (batch.length > 0 || remaining <= 0 || this.interruptions !== interruptionsAtStart) return batch;
      await this.waitForChange(Math.min(remaining, this.untilNextVisible()));
    }
  }

  /** Acknowledges a handled message. */
  delete(receiptHandle: string): void {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index >= 0) this.messages.splice(index, 1);
  }

  /** Makes a received message visible again after `delayMs` (a failed record's retry). */
  release(receiptHandle: string, delayMs = 0): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return;
    message.visibleAt = Date.now() + delayMs;
    delete message.receiptHandle;
    if (delayMs === 0) this.wake();
  }

  get deadLetters(): readonly ReceivedQueueMessage[] {
    return this.dead.map((m) => this.view(m, ''));
  }

  /** Moves a dead-lettered message back to the queue with a fresh receive count (SQS's redrive); false when unknown. */
  redrive(messageId: string): boolean {
    const index = this.dead.findIndex((m) => m.messageId === messageId);
    if (index < 0) return false;
    const [{ messageId: id, body, attributes, sentAt }] = this.dead.splice(index, 1) as [StoredMessage];
    this.messages.push({ messageId: id, body, attributes, sentAt, receiveCount: 0, visibleAt: 0 });
    this.wake();
    return true;
  }

  /** Deletes a dead-lettered message for good; false when unknown. */
  discard(messageId: string): boolean {
    const index = this.dead.findIndex((m) => m.messageId === messageId);
    if (index < 0) return false;
    this.dead.splice(index, 1);
    return true;
  }

  /** Messages not yet deleted nor dead-lettered, in flight included. */
  get depth(): number {
    return this.messages.length;
  }

  /** Ends pending long polls at once, empty-handed if nothing is visible (used on shutdown). */
  interrupt(): void {
    this.interruptions += 1;
    this.wake();
  }

  private take(max: number): ReceivedQueueMessage[] {
    const now = Date.now();
    const batch: ReceivedQueueMessage[] = [];
    for (let i = 0; i < this.messages.length && batch.length < max;) {
      const message = this.messages[i] as StoredMessage;
      if (message.visibleAt > now) {
        i += 1;
        continue;
      }
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.splice(i, 1);
        this.dead.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      message.receiptHandle = randomUUID();
      batch.push(this.view(message, message.receiptHandle));
      i += 1;
    }
    return batch;
  }

  private view(message: StoredMessage, receiptHandle: string): ReceivedQueueMessage {
    return {
      messageId: message.messageId,
      receiptHandle,
      body: message.body,
      attributes: message.attributes,
      receiveCount: message.receiveCount,
      sentAt: message.sentAt,
    };
  }

  private untilNextVisible(): number {
    const now = Date.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const message of this.messages) soonest = Math.min(soonest, Math.max(0, message.visibleAt - now));
    return soonest;
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
