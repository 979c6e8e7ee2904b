import {
  SendMessageBatchCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { NotificationQueue } from '../../application/notifications/ports/NotificationQueue.js';
import type { Notification } from '../../domain/notification/Notification.js';
import { toQueuedMessage } from '../../domain/notification/QueuedNotificationMessage.js';
import { TransientError } from '../../domain/shared/HermesError.js';
import { type BatchRetryPolicy, DEFAULT_BATCH_RETRY, type Refusal, sendUntilProcessed } from './batchRetry.js';
import { QueueUrlResolver } from './QueueUrlResolver.js';

/** SendMessageBatch's limits: entries per call and total payload per call. */
const BATCH_MAX_ENTRIES = 10;
const BATCH_MAX_BYTES = 256 * 1024;

/** The queue to publish to: its URL, or its name (resolved once with GetQueueUrl). */
export type QueueTarget = { readonly queueUrl: string } | { readonly queueName: string };

/**
 * Some notifications of a batch were not queued, even after retries. Transient: the rest of the
 * batch was queued, and publishing the named ones again may succeed (entries SQS refused as
 * invalid are named too, with their reason).
 */
export class QueuePublishError extends TransientError {
  readonly code = 'QUEUE_PUBLISH_FAILED';

  constructor(
    /** Ids of the notifications that were not queued. */
    readonly notificationIds: readonly string[],
    reasons: readonly string[],
  ) {
    super(`${notificationIds.length} notification(s) could not be queued: ${[...new Set(reasons)].join('; ')}`, undefined, {
      details: { notificationIds },
    });
  }
}

interface PendingEntry {
  readonly notification: Notification;
  readonly entry: SendMessageBatchRequestEntry;
  readonly bytes: number;
}

/**
 * Publishes notifications to SQS. The body is the seed's `{user_id, room_id, data}` plus `type`,
 * `id` and `sent_at`; the type is also a message attribute, so consumers can filter without parsing.
 */
export class SqsNotificationQueue implements NotificationQueue {
  private readonly url: QueueUrlResolver;

  constructor(
    private readonly client: SQSClient,
    target: QueueTarget,
    private readonly retry: BatchRetryPolicy = DEFAULT_BATCH_RETRY,
  ) {
    this.url = new QueueUrlResolver(
      client,
      'queueUrl' in target ? { url: target.queueUrl, name: target.queueUrl } : { name: target.queueName },
    );
  }

  async publish(notification: Notification): Promise<void> {
    const { MessageBody, MessageAttributes } = message(notification);
    await this.client.send(new SendMessageCommand({ QueueUrl: await this.queueUrl(), MessageBody, MessageAttributes }));
  }

  /**
   * Publishes many notifications with SendMessageBatch (10 entries and 256 KB per call). Entries
   * SQS failed on its side are retried with jittered backoff; entries it refused as invalid are not.
   * Rejects with {@link QueuePublishError} naming what was not queued; the rest is queued.
   */
  async publishBatch(notifications: readonly Notification[]): Promise<void> {
    const queueUrl = await this.queueUrl();
    const failed: Array<{ id: string; reason: string }> = [];
    for (const batch of batches(notifications)) {
      failed.push(...(await this.sendBatch(queueUrl, batch)));
    }
    if (failed.length > 0) {
      throw new QueuePublishError(
        failed.map((f) => f.id),
        failed.map((f) => f.reason),
      );
    }
  }

  /** The queue's URL; looked up by name on first use when only the name is configured. */
  queueUrl(): Promise<string> {
    return this.url.resolve();
  }

  private async sendBatch(queueUrl: string, batch: readonly PendingEntry[]): Promise<Array<{ id: string; reason: string }>> {
    const refused = await sendUntilProcessed(
      batch,
      async (pending) => {
        const output = await this.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending.map((p) => p.entry) }));
        const retry: PendingEntry[] = [];
        const refusedNow: Array<Refusal<PendingEntry>> = [];
        for (const failure of output.Failed ?? []) {
          const entry = pending.find((p) => p.entry.Id === failure.Id);
          if (!entry) continue;
          if (failure.SenderFault) refusedNow.push({ item: entry, reason: failure.Code ?? 'unknown error' });
          else retry.push(entry);
        }
        return { retry, refused: refusedNow };
      },
      this.retry,
    );
    return refused.map(({ item, reason }) => ({ id: item.notification.id, reason }));
  }
}

function message(notification: Notification): {
  MessageBody: string;
  MessageAttributes: Record<string, MessageAttributeValue>;
} {
  return {
    MessageBody: JSON.stringify(toQueuedMessage(notification)),
    MessageAttributes: { type: { DataType: 'String', StringValue: notification.type } },
  };
}

/** Groups notifications into SendMessageBatch calls within both the entry and the size limit. */
function batches(notifications: readonly Notification[]): PendingEntry[][] {
  const entries: PendingEntry[] = notifications.map((notification, index) => {
    const { MessageBody, MessageAttributes } = message(notification);
    const bytes = Buffer.byteLength(MessageBody, 'utf8') + 'type'.length + 'String'.length + Buffer.byteLength(notification.type);
    return { notification, entry: { Id: String(index), MessageBody, MessageAttributes }, bytes };
  });
  const result: PendingEntry[][] = [];
  let current: PendingEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    if (current.length > 0 && (current.length === BATCH_MAX_ENTRIES || currentBytes + entry.bytes > BATCH_MAX_BYTES)) {
      result.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
