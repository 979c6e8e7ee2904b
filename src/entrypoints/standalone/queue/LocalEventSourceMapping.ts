import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LogAttributes, Logger } from '../../../application/shared/ports/Logger.js';
import { backoffDelayMs } from '../../../application/shared/backoff.js';
import { errorMessage } from '../../../domain/shared/HermesError.js';
import type { QueueSource, SourceMessage } from './QueueSource.js';

export interface EventSourceMappingOptions {
  /** Records per invocation (SQS event source mapping `BatchSize`, at most 10 per receive). */
  readonly batchSize: number;
  /** Long-poll wait of each receive. */
  readonly pollWaitMs: number;
  /** Parallel pollers, each invoking the handler with its own batches. */
  readonly concurrency: number;
  /** Delay before a failed record is visible again: base · 2^(receives − 1), capped. */
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Pause after an error of the queue itself, so a broken queue is not hammered. */
  readonly errorPauseMs: number;
  readonly region: string;
}

export const DEFAULT_EVENT_SOURCE_MAPPING: EventSourceMappingOptions = {
  batchSize: 10,
  pollWaitMs: 1_000,
  concurrency: 2,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  errorPauseMs: 1_000,
  region: 'local',
};

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/**
 * What Lambda's SQS event source mapping does, in process: polls a queue, invokes the handler with
 * SQS-shaped events, deletes the records that succeeded and makes only the failed ones
 * (`batchItemFailures`, or the whole batch when the handler throws) visible again after a backoff.
 * The queue's redrive policy dead-letters a record after its maxReceiveCount.
 */
export class LocalEventSourceMapping {
  private readonly options: EventSourceMappingOptions;
  private abort: AbortController | undefined;
  private pollers: Promise<void>[] = [];

  constructor(
    private readonly source: QueueSource,
    private readonly handler: SqsHandler,
    private readonly logger: Logger,
    options: Partial<EventSourceMappingOptions> = {},
  ) {
    this.options = { ...DEFAULT_EVENT_SOURCE_MAPPING, ...options };
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.pollers = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.pollSafely(abort.signal));
  }

  /** Stops polling; resolves once the batches in flight have been handled. */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    await Promise.all(this.pollers);
    this.abort = undefined;
    this.pollers = [];
  }

  /** Handles one batch as an invocation would; exposed for tests and one-shot draining. */
  async invoke(messages: readonly SourceMessage[]): Promise<{ succeeded: number; failed: number }> {
    const failedIds = await this.failedMessageIds(messages);
    const failed = messages.filter((m) => failedIds.has(m.messageId));
    const succeeded = messages.filter((m) => !failedIds.has(m.messageId));
    if (succeeded.length > 0) await this.source.acknowledge(succeeded);
    for (const [delayMs, group] of this.groupByRetryDelay(failed)) await this.source.release(group, delayMs);
    return { succeeded: succeeded.length, failed: failed.length };
  }

  /**
   * The last-resort catch of one poller: whatever escapes the loop (it should not) is logged and
   * the poller starts again after a pause, so the gateway neither crashes nor silently stops polling.
   */
  private async pollSafely(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.poll(signal);
      } catch (error) {
        this.log('error', 'queue poller stopped unexpectedly; restarting it', () => ({ error: errorMessage(error) }));
        await pause(this.options.errorPauseMs, signal);
      }
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const messages = await this.source.receive(Math.min(10, this.options.batchSize), this.options.pollWaitMs, signal);
        if (messages.length > 0) await this.invoke(messages);
      } catch (error) {
        if (signal.aborted) break;
        this.log('error', 'queue poll failed', () => ({ error: errorMessage(error) }));
        await pause(this.options.errorPauseMs, signal);
      }
    }
  }

  /**
   * Never throws: attributes are built inside the guard (the queue's ARN among them), and a
   * failing logger is ignored rather than allowed to stop a poller.
   */
  private log(level: 'error' | 'warn', message: string, attributes: () => LogAttributes): void {
    let queue = 'unknown';
    try {
      queue = this.source.arn;
    } catch {
      // An ARN that cannot be built must not cost the log line.
    }
    try {
      this.logger[level](message, { queue, ...attributes() });
    } catch {
      // Logging is best effort here.
    }
  }

  /** Ids to retry; like Lambda, a throw or an unknown/empty identifier fails the whole batch. */
  private async failedMessageIds(messages: readonly SourceMessage[]): Promise<Set<string>> {
    const all = new Set(messages.map((m) => m.messageId));
    let response: SQSBatchResponse | void;
    try {
      response = await this.handler(this.toEvent(messages));
    } catch (error) {
      this.log('error', 'queue handler failed; the whole batch will be retried', () => ({
        records: messages.length,
        error: errorMessage(error),
      }));
      return all;
    }
    const failures = response?.batchItemFailures ?? [];
    const failed = new Set<string>();
    for (const failure of failures) {
      const id = failure?.itemIdentifier;
      if (typeof id !== 'string' || !all.has(id)) return all;
      failed.add(id);
    }
    return failed;
  }

  private groupByRetryDelay(messages: readonly SourceMessage[]): Map<number, SourceMessage[]> {
    const groups = new Map<number, SourceMessage[]>();
    for (const message of messages) {
      // The ceiling of the one backoff formula, without jitter: records failed together come back together.
      const delay = backoffDelayMs(
        message.receiveCount,
        { baseDelayMs: this.options.retryBaseDelayMs, maxDelayMs: this.options.retryMaxDelayMs },
        () => 1,
      );
      const group = groups.get(delay) ?? [];
      group.push(message);
      groups.set(delay, group);
    }
    return groups;
  }

  private toEvent(messages: readonly SourceMessage[]): SQSEvent {
    const now = String(Date.now());
    const arn = this.source.arn;
    return { Records: messages.map((message) => this.toRecord(message, now, arn)) };
  }

  private toRecord(message: SourceMessage, receivedAt: string, eventSourceARN: string): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt.getTime()),
        SenderId: 'hermes-local',
        ApproximateFirstReceiveTimestamp: receivedAt,
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([name, value]) => [
          name,
          { stringValue: value, dataType: 'String', stringListValues: [], binaryListValues: [] },
        ]),
      ),
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN,
      awsRegion: this.options.region,
    };
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
