import type { RoomPresence } from '../../../application/notifications/ports/RoomPresence.js';
import { DynamoRoomPresence } from '../../../adapters/aws/DynamoRoomPresence.js';
import { InMemoryRoomPresence } from '../../../adapters/memory/InMemoryRoomPresence.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { dynamoDocumentClient } from './awsClients.js';
import { redisAdapters } from './redisSlot.js';

/** Presence is read where connections are kept, so it follows `HERMES_CONNECTION_STORE`. */
const PRESENCES: Record<AdapterChoices['connectionStore'], (wiring: Wiring) => RoomPresence> = {
  memory: (wiring) => new InMemoryRoomPresence(wiring.clock),
  dynamodb: (wiring) => new DynamoRoomPresence(dynamoDocumentClient(wiring), wiring.config.aws.tables.connections, wiring.clock),
  redis: (wiring) => redisAdapters(wiring).presence,
};

/** Who is in each room. */
export function roomPresence(wiring: Wiring): RoomPresence {
  return wiring.once('roomPresence', () => PRESENCES[wiring.config.core.adapters.connectionStore](wiring));
}
