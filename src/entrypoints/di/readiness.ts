import type { DeadLetterQueue } from '../../application/notifications/ports/DeadLetterQueue.js';
import type { ReadinessCheck } from '../../application/shared/ports/ReadinessCheck.js';
import { dynamoReadiness, sqsReadiness } from '../../adapters/aws/awsReadiness.js';
import { SqsDeadLetterQueue } from '../../adapters/aws/SqsDeadLetterQueue.js';
import { InMemoryDeadLetterQueue } from '../../adapters/memory/InMemoryDeadLetterQueue.js';
import type { AdapterChoices } from '../config/coreConfig.js';
import { dynamoClient, sqsClient } from './adapters/awsClients.js';
import { inMemoryNotificationQueue } from './adapters/notificationQueue.js';
import type { Wiring } from './wiring.js';

/**
 * The readiness checks of the adapters this composition uses, one per adapter family: DynamoDB
 * when any store is on DynamoDB, SQS when the queue is. In-memory adapters always answer. Other
 * families (Redis, the Kafka consumer) add theirs where they are composed.
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
  return checks;
}

const DEAD_LETTER_QUEUES: Record<AdapterChoices['queue'], (wiring: Wiring) => DeadLetterQueue> = {
  memory: (wiring) => new InMemoryDeadLetterQueue(inMemoryNotificationQueue(wiring)),
  sqs: (wiring) => new SqsDeadLetterQueue(sqsClient(wiring), wiring.config.aws.queue),
};

/** The notification queue's dead letters (`HERMES_QUEUE`), for the operator's console. */
export function deadLetterQueue(wiring: Wiring): DeadLetterQueue {
  return wiring.once('queue.deadLetters', () => DEAD_LETTER_QUEUES[wiring.config.core.adapters.queue](wiring));
}
