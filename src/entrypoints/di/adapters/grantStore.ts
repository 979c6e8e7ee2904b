import type { ConnectionGrantStore } from '../../../application/notifications/ports/ConnectionGrantStore.js';
import { DynamoConnectionGrantStore } from '../../../adapters/aws/DynamoConnectionGrantStore.js';
import { InMemoryConnectionGrantStore } from '../../../adapters/memory/InMemoryConnectionGrantStore.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { dynamoDocumentClient } from './awsClients.js';
import { redisAdapters } from './redisSlot.js';

const GRANT_STORES: Record<AdapterChoices['grantStore'], (wiring: Wiring) => ConnectionGrantStore> = {
  memory: () => new InMemoryConnectionGrantStore(),
  dynamodb: (wiring) => new DynamoConnectionGrantStore(dynamoDocumentClient(wiring), wiring.config.aws.tables.grants),
  redis: (wiring) => redisAdapters(wiring).grants,
};

/** `HERMES_GRANT_STORE`: where the bcrypt hashes of issued tokens are kept. */
export function connectionGrantStore(wiring: Wiring): ConnectionGrantStore {
  return wiring.once('grantStore', () => GRANT_STORES[wiring.config.core.adapters.grantStore](wiring));
}
