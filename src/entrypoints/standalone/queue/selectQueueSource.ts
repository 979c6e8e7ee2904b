import type { Container } from 'inversify';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { InMemoryNotificationQueue } from '../../../adapters/memory/InMemoryNotificationQueue.js';
import type { AwsConfig } from '../../config/awsConfig.js';
import type { AdapterChoices, CoreConfig } from '../../config/coreConfig.js';
import type { Env } from '../../config/Env.js';
import { AWS_TOKENS } from '../../di/awsBindings.js';
import { ENTRYPOINT_TOKENS } from '../../di/tokens.js';
import { InMemoryQueueSource } from './InMemoryQueueSource.js';
import type { QueueSource } from './QueueSource.js';
import { SqsQueueSource } from './SqsQueueSource.js';

type SourceFactory = (container: Container, env: Env) => QueueSource;

/** The queue the local event source mapping polls, per HERMES_QUEUE adapter. */
const SOURCES: Record<AdapterChoices['queue'], SourceFactory> = {
  memory: (container) => new InMemoryQueueSource(container.get<InMemoryNotificationQueue>(ENTRYPOINT_TOKENS.InMemoryNotificationQueue)),
  sqs: (container) => {
    const aws = container.get<AwsConfig>(AWS_TOKENS.Config);
    return new SqsQueueSource(container.get<SQSClient>(AWS_TOKENS.SqsClient), aws.queue, aws.region);
  },
};

/** The queue the standalone gateway feeds its `queue` handler from. */
export function selectQueueSource(container: Container, env: Env): QueueSource {
  const core = container.get<CoreConfig>(ENTRYPOINT_TOKENS.CoreConfig);
  return SOURCES[core.adapters.queue](container, env);
}
