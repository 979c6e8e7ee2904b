import type { ConnectionRepository } from '../../../application/notifications/ports/ConnectionRepository.js';
import { DynamoConnectionRepository } from '../../../adapters/aws/DynamoConnectionRepository.js';
import { InMemoryConnectionRepository } from '../../../adapters/memory/InMemoryConnectionRepository.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { dynamoDocumentClient } from './awsClients.js';
import { redisAdapters } from './redisSlot.js';

const CONNECTION_STORES: Record<AdapterChoices['connectionStore'], (wiring: Wiring) => ConnectionRepository> = {
  memory: (wiring) => new InMemoryConnectionRepository(wiring.clock),
  dynamodb: (wiring) => new DynamoConnectionRepository(dynamoDocumentClient(wiring), wiring.config.aws.tables.connections, wiring.clock),
  redis: (wiring) => redisAdapters(wiring).connections,
};

/** `HERMES_CONNECTION_STORE`: where connections are kept. */
export function connectionRepository(wiring: Wiring): ConnectionRepository {
  return wiring.once('connectionStore', () => CONNECTION_STORES[wiring.config.core.adapters.connectionStore](wiring));
}
