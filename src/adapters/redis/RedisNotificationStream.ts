import type { Redis } from 'ioredis';
import type { ReceivedQueueMessage } from '../memory/InMemoryNotificationQueue.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';
import { fieldsOf, readStream, type StreamEntry } from './redisStreamEntries.js';

export interface RedisStreamOptions {
  /** How long a received message stays with its consumer before another may take it (SQS visibility timeout). */
  readonly visibilityTimeoutMs: number;
  /** Receives after which a message moves to the dead-letter stream instead (HERMES_MAX_RECEIVE_COUNT). */
  readonly maxReceiveCount: number;
}

export const DEFAULT_REDIS_STREAM_OPTIONS: RedisStreamOptions = { visibilityTimeoutMs: 30_000, maxReceiveCount: 5 };

type PendingEntry = [id: string, consumer: string, idleMs: number, deliveries: number];

function attributesOf(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** XACK first: only the poller whose XACK took the message copies it to the dead-letter stream. */
const DEAD_LETTER = `
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local entry = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])[1]
if entry then
  local fields = entry[2]
  table.insert(fields, 'originalId')
  table.insert(fields, ARGV[2])
  table.insert(fields, 'receiveCount')
  table.insert(fields, ARGV[3])
  redis.call('XADD', KEYS[2], '*', unpack(fields))
end
redis.call('XDEL', KEYS[1], ARGV[2])
return 1`;

function isNoGroup(error: unknown): boolean {
  return error instanceof Error && error.message.includes('NOGROUP');
}

/**
 * The notification queue as a Redis stream read by one consumer group, with SQS's semantics:
 * at-least-once (a message stays pending until acknowledged), a visibility timeout (a pending
 * message idle that long — its consumer died, or released it — is claimed again), a receive count
 * (the stream's delivery counter) and a dead-letter stream after `maxReceiveCount` receives.
 * `XADD` returning is the durable acceptance a publisher is told about.
 */
export class RedisNotificationStream {
  private groupReady = false;
  private readonly idleReaders: Redis[] = [];

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    /** This process's consumer name in the group (its node id). */
    private readonly consumer: string,
    private readonly options: RedisStreamOptions = DEFAULT_REDIS_STREAM_OPTIONS,
  ) {}

  /** Appends one message; resolves once Redis has it. */
  async publish(body: string, attributes: Readonly<Record<string, string>> = {}): Promise<string> {
    const id = await this.redis.call('publish notification', (client) =>
      client.xadd(this.keys.queue, '*', 'body', body, 'attributes', JSON.stringify(attributes), 'sentAt', String(Date.now())),
    );
    return id ?? '';
  }

  /**
   * Up to `max` messages: pending ones whose visibility ended first (dead-lettering those received
   * `maxReceiveCount` times), then new ones, waiting up to `waitMs` for one when there are none.
   */
  async receive(max: number, waitMs: number, signal?: AbortSignal): Promise<ReceivedQueueMessage[]> {
    if (signal?.aborted) return [];
    await this.ensureGroup();
    try {
      const batch = await this.reclaim(max);
      if (batch.length >= max || signal?.aborted) return batch;
      return [...batch, ...(await this.readNew(max - batch.length, batch.length > 0 ? 0 : waitMs))];
    } catch (error) {
      // Redis restarted without its data: the group is gone; make it again on the next receive.
      if (isNoGroup(error)) this.groupReady = false;
      throw error;
    }
  }

  /** Acknowledges handled messages (XACK) and drops them from the stream (XDEL). */
  async acknowledge(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.redis.call('acknowledge notifications', async (client) => {
      await client
        .multi()
        .xack(this.keys.queue, this.keys.queueGroup, ...messageIds)
        .xdel(this.keys.queue, ...messageIds)
        .exec();
    });
  }

  /**
   * Makes failed messages visible again after `delayMs`: their idle time is set so that the
   * visibility timeout ends then (XCLAIM IDLE, JUSTID so the receive count is not raised).
   */
  async release(messageIds: readonly string[], delayMs: number): Promise<void> {
    if (messageIds.length === 0) return;
    const idle = Math.max(0, this.options.visibilityTimeoutMs - delayMs);
    await this.redis.call('release notifications', (client) =>
      client.xclaim(this.keys.queue, this.keys.queueGroup, this.consumer, 0, ...messageIds, 'IDLE', idle, 'JUSTID'),
    );
  }

  /** The dead-lettered messages, oldest first (for operators and tests). */
  async deadLetters(count = 100): Promise<ReceivedQueueMessage[]> {
    const entries = await readStream(this.redis, this.keys.deadLetterQueue, count);
    return entries.map(({ id, flat, fields }) => this.messageOf(fields['originalId'] ?? id, flat, Number(fields['receiveCount'] ?? '0')));
  }

  /** Messages in the stream (pending ones included), for diagnostics and tests. */
  async depth(): Promise<number> {
    return this.redis.call('queue depth', (client) => client.xlen(this.keys.queue));
  }

  /** Closes the blocking-read connections. */
  close(): void {
    for (const reader of this.idleReaders.splice(0)) reader.disconnect();
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    await this.redis.call('create consumer group', async (client) => {
      try {
        await client.xgroup('CREATE', this.keys.queue, this.keys.queueGroup, '0', 'MKSTREAM');
      } catch (error) {
        if (!(error instanceof Error && error.message.includes('BUSYGROUP'))) throw error;
      }
    });
    this.groupReady = true;
  }

  private async reclaim(max: number): Promise<ReceivedQueueMessage[]> {
    const { queue, queueGroup } = this.keys;
    const visibility = this.options.visibilityTimeoutMs;
    const pending = (await this.redis.call('list pending notifications', (client) =>
      client.xpending(queue, queueGroup, 'IDLE', visibility, '-', '+', max),
    )) as PendingEntry[];
    if (pending.length === 0) return [];
    const exhausted = pending.filter(([, , , deliveries]) => deliveries >= this.options.maxReceiveCount);
    const retried = pending.filter(([, , , deliveries]) => deliveries < this.options.maxReceiveCount);
    for (const [id, , , deliveries] of exhausted) await this.deadLetter(id, deliveries);
    if (retried.length === 0) return [];
    const deliveriesById = new Map(retried.map(([id, , , deliveries]) => [id, deliveries]));
    const claimed = (await this.redis.call('claim pending notifications', (client) =>
      client.xclaim(queue, queueGroup, this.consumer, visibility, ...retried.map(([id]) => id)),
    )) as Array<StreamEntry | null>;
    return claimed.flatMap((entry) => (entry ? [this.messageOf(entry[0], entry[1], (deliveriesById.get(entry[0]) ?? 0) + 1)] : []));
  }

  /** Moves one message to the dead-letter stream, atomically with its removal: of two pollers, only one moves it. */
  private async deadLetter(id: string, deliveries: number): Promise<void> {
    const { queue, queueGroup, deadLetterQueue } = this.keys;
    await this.redis.call('dead-letter notification', (client) =>
      client.eval(DEAD_LETTER, 2, queue, deadLetterQueue, queueGroup, id, String(deliveries)),
    );
  }

  private async readNew(count: number, waitMs: number): Promise<ReceivedQueueMessage[]> {
    const { queue, queueGroup } = this.keys;
    const args = ['GROUP', queueGroup, this.consumer, 'COUNT', count] as const;
    if (waitMs <= 0) {
      const result = (await this.redis.call('read notifications', (client) => client.xreadgroup(...args, 'STREAMS', queue, '>'))) as Array<
        [string, StreamEntry[]]
      > | null;
      return this.newMessages(result);
    }
    // A blocking read holds its connection: each concurrent poller borrows its own.
    const reader = this.idleReaders.pop() ?? this.redis.duplicate('hermes-queue-reader', { enableOfflineQueue: true });
    try {
      const result = (await this.redis.call('wait for notifications', () =>
        reader.xreadgroup(...args, 'BLOCK', Math.max(1, Math.round(waitMs)), 'STREAMS', queue, '>'),
      )) as Array<[string, StreamEntry[]]> | null;
      return this.newMessages(result);
    } finally {
      this.idleReaders.push(reader);
    }
  }

  private newMessages(result: Array<[string, StreamEntry[]]> | null): ReceivedQueueMessage[] {
    const entries = result?.[0]?.[1] ?? [];
    return entries.map(([id, flat]) => this.messageOf(id, flat, 1));
  }

  private messageOf(id: string, flat: readonly string[], receiveCount: number): ReceivedQueueMessage {
    const fields = fieldsOf(flat);
    const sentAt = Number(fields['sentAt']);
    return {
      messageId: id,
      receiptHandle: id,
      body: fields['body'] ?? '',
      attributes: attributesOf(fields['attributes']),
      receiveCount,
      sentAt: Number.isFinite(sentAt) ? new Date(sentAt) : new Date(),
    };
  }
}
