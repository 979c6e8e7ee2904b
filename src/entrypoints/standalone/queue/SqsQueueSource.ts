import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type BatchResultErrorEntry,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DEFAULT_BATCH_BACKOFF, waitBeforeRetry, type BackoffPolicy } from '../../../adapters/aws/backoff.js';
import type { QueueSource, SourceMessage } from './QueueSource.js';

/** SQS per-call limits: messages per receive/batch, long-poll seconds, visibility seconds. */
const MAX_MESSAGES = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 12 * 3600;

/**
 * An SQS queue polled like Lambda's SQS event source mapping does: long-poll ReceiveMessage,
 * DeleteMessageBatch for handled records, ChangeMessageVisibilityBatch for failed ones (they come
 * back after the delay and, past the queue's maxReceiveCount, go to its dead-letter queue).
 */
export class SqsQueueSource implements QueueSource {
  private resolvedUrl: Promise<string> | undefined;
  private knownUrl: string | undefined;

  /**
   * @param queue the queue's URL, or its name (the URL is then looked up on first use)
   * @param region for the records' `eventSourceARN`
   */
  constructor(
    private readonly client: SQSClient,
    private readonly queue: { readonly url?: string | undefined; readonly name: string },
    private readonly region: string | undefined,
    private readonly backoff: BackoffPolicy = DEFAULT_BATCH_BACKOFF,
  ) {
    this.knownUrl = queue.url;
  }

  /** `arn:aws:sqs:<region>:<account>:<name>`, the account read from the queue URL once known. */
  get arn(): string {
    const account = this.knownUrl ? new URL(this.knownUrl).pathname.split('/').filter(Boolean)[0] : undefined;
    return `arn:aws:sqs:${this.region ?? 'unknown'}:${account ?? '000000000000'}:${this.queue.name}`;
  }

  /** The queue's URL, looked up by name the first time when not configured. */
  queueUrl(): Promise<string> {
    if (this.knownUrl) return Promise.resolve(this.knownUrl);
    this.resolvedUrl ??= this.client.send(new GetQueueUrlCommand({ QueueName: this.queue.name })).then(({ QueueUrl }) => {
      if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for queue ${this.queue.name}`);
      this.knownUrl = QueueUrl;
      return QueueUrl;
    });
    this.resolvedUrl.catch(() => {
      this.resolvedUrl = undefined;
    });
    return this.resolvedUrl;
  }

  async receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]> {
    if (signal?.aborted) return [];
    const queueUrl = await this.queueUrl();
    try {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(MAX_MESSAGES, Math.max(1, Math.floor(max))),
          WaitTimeSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.ceil(waitMs / 1000))),
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
        signal ? { abortSignal: signal } : {},
      );
      return Messages.flatMap((message) => toSourceMessage(message));
    } catch (error) {
      // Stopping the poller aborts the long poll in flight; that is not a failure.
      if (signal?.aborted) return [];
      throw error;
    }
  }

  async acknowledge(messages: readonly SourceMessage[]): Promise<void> {
    const queueUrl = await this.queueUrl();
    await this.inBatches(messages, 'delete', async (entries) =>
      this.client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })),
    );
  }

  async release(messages: readonly SourceMessage[], delayMs: number): Promise<void> {
    const VisibilityTimeout = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(delayMs / 1000)));
    const queueUrl = await this.queueUrl();
    await this.inBatches(messages, 'release', async (entries) =>
      this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map((entry) => ({ ...entry, VisibilityTimeout })),
        }),
      ),
    );
  }

  /** Runs a batch call over messages, 10 at a time, retrying the entries SQS failed on its side. */
  private async inBatches(
    messages: readonly SourceMessage[],
    what: string,
    call: (entries: Array<{ Id: string; ReceiptHandle: string }>) => Promise<{ Failed?: BatchResultErrorEntry[] | undefined }>,
  ): Promise<void> {
    const refused: string[] = [];
    for (let start = 0; start < messages.length; start += MAX_MESSAGES) {
      let entries = messages
        .slice(start, start + MAX_MESSAGES)
        .map((message, index) => ({ Id: String(index), ReceiptHandle: message.receiptHandle }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const { Failed = [] } = await call(entries);
        const retry = new Set(Failed.filter((failure) => !failure.SenderFault).map((failure) => failure.Id));
        for (const failure of Failed) if (failure.SenderFault) refused.push(failure.Code ?? 'unknown error');
        entries = entries.filter((entry) => retry.has(entry.Id));
        if (entries.length > 0 && attempt >= this.backoff.maxAttempts) {
          refused.push(...entries.map(() => 'still failing after retries'));
          break;
        }
        if (entries.length > 0) await waitBeforeRetry(attempt - 1, this.backoff);
      }
    }
    if (refused.length > 0) {
      throw new Error(`SQS could not ${what} ${refused.length} message(s): ${[...new Set(refused)].join('; ')}`);
    }
  }
}

function toSourceMessage(message: Message): SourceMessage[] {
  if (!message.MessageId || !message.ReceiptHandle) return [];
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) attributes[name] = value.StringValue;
  }
  const sentTimestamp = Number(message.Attributes?.SentTimestamp);
  return [
    {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body ?? '',
      attributes,
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
      sentAt: Number.isFinite(sentTimestamp) ? new Date(sentTimestamp) : new Date(),
    },
  ];
}
