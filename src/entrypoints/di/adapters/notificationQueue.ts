import type { NotificationQueue } from '../../../application/notifications/ports/NotificationQueue.js';
import { SqsNotificationQueue } from '../../../adapters/aws/SqsNotificationQueue.js';
import { InMemoryNotificationQueue } from '../../../adapters/memory/InMemoryNotificationQueue.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { sqsClient } from './awsClients.js';
import { redisAdapters } from './redisSlot.js';

/** The `memory` queue, which the local event source polls. */
export function inMemoryNotificationQueue(wiring: Wiring): InMemoryNotificationQueue {
  return wiring.once('queue.memory', () => new InMemoryNotificationQueue());
}

/** The SQS queue (it also has `publishBatch`). */
export function sqsNotificationQueue(wiring: Wiring): SqsNotificationQueue {
  return wiring.once('queue.sqs', () => {
    const { queue } = wiring.config.aws;
    return new SqsNotificationQueue(sqsClient(wiring), queue.url ? { queueUrl: queue.url } : { queueName: queue.name });
  });
}

const QUEUES: Record<AdapterChoices['queue'], (wiring: Wiring) => NotificationQueue> = {
  memory: inMemoryNotificationQueue,
  sqs: sqsNotificationQueue,
  redis: (wiring) => redisAdapters(wiring).queue,
};

/** `HERMES_QUEUE`: where published notifications wait for the `queue` handler. */
export function notificationQueue(wiring: Wiring): NotificationQueue {
  return QUEUES[wiring.config.core.adapters.queue](wiring);
}
