import type { AdapterChoices } from '../../config/coreConfig.js';
import { sqsClient } from '../../di/adapters/awsClients.js';
import { inMemoryNotificationQueue } from '../../di/adapters/notificationQueue.js';
import type { Wiring } from '../../di/wiring.js';
import { redisAdapters } from '../../di/adapters/redisSlot.js';
import { InMemoryQueueSource } from './InMemoryQueueSource.js';
import type { QueueSource } from './QueueSource.js';
import { RedisQueueSource } from './RedisQueueSource.js';
import { SqsQueueSource } from './SqsQueueSource.js';

/** The queue the local event source mapping polls, per `HERMES_QUEUE` adapter: a row of the adapter table. */
const QUEUE_SOURCES: Record<AdapterChoices['queue'], (wiring: Wiring) => QueueSource> = {
  memory: (wiring) => new InMemoryQueueSource(inMemoryNotificationQueue(wiring)),
  sqs: (wiring) => new SqsQueueSource(sqsClient(wiring), wiring.config.aws.queue, wiring.config.aws.region),
  redis: (wiring) => {
    const redis = redisAdapters(wiring);
    return new RedisQueueSource(redis.stream, redis.connection);
  },
};

/** The queue the standalone gateway feeds its `queue` handler from (the one the notifications are published to). */
export function queueSource(wiring: Wiring): QueueSource {
  return QUEUE_SOURCES[wiring.config.core.adapters.queue](wiring);
}
