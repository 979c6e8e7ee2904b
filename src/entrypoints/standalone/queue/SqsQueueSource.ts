import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type BatchResultErrorEntry,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type BatchRetryPolicy, DEFAULT_BATCH_RETRY, type Refusal, sendUntilProcessed } from '../../../adapters/aws/batchRetry.js';
import { accountOfQueueUrl, QueueUrlResolver } from '../../../adapters/aws/QueueUrlResolver.js';
import { TransientError } from '../../../domain/shared/HermesError.js';
import type { QueueSource, SourceMessage } from './QueueSource.js';

/** SQS per-call limits: messages per receive/batch, long-poll seconds, visibility seconds. */
const MAX_MESSAGES = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 12 * 3600;
/** A long poll may take its whole wait: its request timeout is the wait plus this much. */
const LONG_POLL_MARGIN_MS = 5_000;

type BatchEntry = { readonly Id: string; readonly ReceiptHandle: string };

/** Some handled or failed records could not be deleted or released; SQS redelivers them after their visibility timeout. */
export class QueueBatchError extends TransientError {
  readonly code = 'SQS_BATCH_INCOMPLETE';

  constructor(what: string, reasons: readonly string[]) {
    super(`SQS could not ${what} ${reasons.length} message(s): ${[...new Set(reasons)].join('; ')}`, undefined, {
      details: { operation: what, count: reasons.length },
    });
  }
}

/**
 * An SQS queue polled like Lambda's SQS event source mapping does: long-poll ReceiveMessage,
 * DeleteMessageBatch for handled records, ChangeMessageVisibilityBatch for failed ones (they come
 * back after the delay and, past the queue's maxReceiveCount, go to its dead-letter queue).
 */
export class SqsQueueSource implements QueueSource {
  private readonly url: QueueUrlResolver;

  /**
   * @param queue the queue's URL, or its name (the URL is then looked up on first use)
   * @param region for the records' `eventSourceARN`
   */
  constructor(
    private readonly client: SQSClient,
    queue: { readonly url?: string | undefined; readonly name: string },
    private readonly region: string | undefined,
    private readonly retry: BatchRetryPolicy = DEFAULT_BATCH_RETRY,
  ) {
    this.url = new QueueUrlResolver(client, queue);
  }

  /**
   * `arn:aws:sqs:<region>:<account>:<name>`, the account read from the queue URL once known. Read
   * by log lines, so it never throws: an unparsable URL gives the placeholder account.
   */
  get arn(): string {
    return `arn:aws:sqs:${this.region ?? 'unknown'}:${accountOfQueueUrl(this.url.known) ?? '000000000000'}:${this.url.name}`;
  }

  /** The queue's URL, looked up by name the first time when not configured. */
  queueUrl(): Promise<string> {
    return this.url.resolve();
  }

  async receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]> {
    if (signal?.aborted) return [];
    const queueUrl = await this.queueUrl();
    const waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.ceil(waitMs / 1000)));
    try {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(MAX_MESSAGES, Math.max(1, Math.floor(max))),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
        { requestTimeout: waitSeconds * 1000 + LONG_POLL_MARGIN_MS, ...(signal ? { abortSignal: signal } : {}) },
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
      this.client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...entries] })),
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
    call: (entries: readonly BatchEntry[]) => Promise<{ Failed?: BatchResultErrorEntry[] | undefined }>,
  ): Promise<void> {
    const refused: string[] = [];
    for (let start = 0; start < messages.length; start += MAX_MESSAGES) {
      const entries = messages
        .slice(start, start + MAX_MESSAGES)
        .map((message, index): BatchEntry => ({ Id: String(index), ReceiptHandle: message.receiptHandle }));
      const left = await sendUntilProcessed(
        entries,
        async (pending) => {
          const { Failed = [] } = await call(pending);
          const byId = new Map(pending.map((entry) => [entry.Id, entry]));
          const retry: BatchEntry[] = [];
          const refusedNow: Array<Refusal<BatchEntry>> = [];
          for (const failure of Failed) {
            const entry = byId.get(failure.Id ?? '');
            if (!entry) continue;
            if (failure.SenderFault) refusedNow.push({ item: entry, reason: failure.Code ?? 'unknown error' });
            else retry.push(entry);
          }
          return { retry, refused: refusedNow };
        },
        this.retry,
      );
      refused.push(...left.map((refusal) => refusal.reason));
    }
    if (refused.length > 0) throw new QueueBatchError(what, refused);
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
