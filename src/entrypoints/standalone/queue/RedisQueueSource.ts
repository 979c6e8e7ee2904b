import type { RedisConnection } from '../../../adapters/redis/RedisConnection.js';
import type { RedisNotificationStream } from '../../../adapters/redis/RedisNotificationStream.js';
import type { QueueSource, SourceMessage } from './QueueSource.js';

const UNAVAILABLE_POLL_MS = 200;

/**
 * The Redis notification stream seen through the calls an SQS poller makes. While Redis is away a
 * receive waits and comes back empty (the connection logs the outage once), instead of failing
 * every second.
 */
export class RedisQueueSource implements QueueSource {
  readonly arn = 'redis:stream:hermes-notifications';

  constructor(
    private readonly stream: RedisNotificationStream,
    private readonly redis: RedisConnection,
  ) {}

  async receive(max: number, waitMs: number, signal?: AbortSignal): Promise<SourceMessage[]> {
    if (!this.redis.isAvailable) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, UNAVAILABLE_POLL_MS)));
      return [];
    }
    try {
      return await this.stream.receive(max, waitMs, signal);
    } catch (error) {
      if (!this.redis.isAvailable) return [];
      throw error;
    }
  }

  async acknowledge(messages: readonly SourceMessage[]): Promise<void> {
    await this.stream.acknowledge(messages.map((message) => message.receiptHandle));
  }

  async release(messages: readonly SourceMessage[], delayMs: number): Promise<void> {
    await this.stream.release(
      messages.map((message) => message.receiptHandle),
      delayMs,
    );
  }
}
