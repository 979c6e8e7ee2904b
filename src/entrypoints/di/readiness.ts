import type { DeadLetterQueue } from '../../application/notifications/ports/DeadLetterQueue.js';
import type { ReadinessCheck } from '../../application/shared/ports/ReadinessCheck.js';
import { dynamoReadiness, sqsReadiness } from '../../adapters/aws/awsReadiness.js';
import { SqsDeadLetterQueue } from '../../adapters/aws/SqsDeadLetterQueue.js';
import { InMemoryDeadLetterQueue } from '../../adapters/memory/InMemoryDeadLetterQueue.js';
import type { AdapterChoices } from '../config/coreConfig.js';
import { dynamoClient, sqsClient } from './adapters/awsClients.js';
import { inMemoryNotificationQueue } from './adapters/notificationQueue.js';
import { redisAdapters, redisAdaptersIfUsed } from './adapters/redisSlot.js';
import type { Wiring } from './wiring.js';

/**
 * The readiness checks of the adapters this composition uses, one per adapter family: DynamoDB
 * when any store is on DynamoDB, SQS when the queue is, Redis (PING) when any adapter is on Redis.
 * In-memory adapters always answer. The Kafka consumer's check is added where it is started.
 */
export function readinessChecks(wiring: Wiring): ReadinessCheck[] {
  const { core, aws } = wiring.config;
  const { connectionStore, grantStore, runLedger, queue } = core.adapters;
  const checks: ReadinessCheck[] = [];
  if ([connectionStore, grantStore, runLedger].includes('dynamodb')) {
    const table =
      connectionStore === 'dynamodb' ? aws.tables.connections : grantStore === 'dynamodb' ? aws.tables.grants : aws.tables.runLedger;
    checks.push(dynamoReadiness(dynamoClient(wiring), table));
  }
  if (queue === 'sqs') checks.push(sqsReadiness(sqsClient(wiring), aws.queue));
  const redis = redisAdaptersIfUsed(wiring);
  if (redis !== undefined) {
    checks.push({
      name: 'redis',
      check: async () => {
        if (!(await redis.connection.ping(1_000))) throw new Error('Redis does not answer PING');
      },
    });
  }
  return checks;
}

/** The dead letters of each queue, as the operator's console lists, redrives and discards them. */
const DEAD_LETTER_QUEUES: Record<AdapterChoices['queue'], (wiring: Wiring) => DeadLetterQueue | undefined> = {
  memory: (wiring) => new InMemoryDeadLetterQueue(inMemoryNotificationQueue(wiring)),
  sqs: (wiring) => new SqsDeadLetterQueue(sqsClient(wiring), wiring.config.aws.queue),
  redis: (wiring) => redisAdapters(wiring).deadLetters,
};

/** The notification queue's dead letters (`HERMES_QUEUE`), for the operator's console; undefined where not offered. */
export function deadLetterQueue(wiring: Wiring): DeadLetterQueue | undefined {
  return wiring.once('queue.deadLetters', () => DEAD_LETTER_QUEUES[wiring.config.core.adapters.queue](wiring));
}
